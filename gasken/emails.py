"""E-mail: every message is three templates under templates/emails/ (`<name>-subject.txt`,
`<name>.txt`, `<name>.html`), rendered by `make` and sent by `send`, which never raises."""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether mail goes anywhere: EMAIL_URL is set, or this is a development machine."""
    return bool(settings.EMAIL_ENABLED)


def make(name: str, to: str, ctx: Mapping[str, Any]) -> EmailMultiAlternatives:
    subject = render_to_string(f"emails/{name}-subject.txt", ctx)
    text = render_to_string(f"emails/{name}.txt", ctx)
    html = render_to_string(f"emails/{name}.html", ctx)
    # A subject is one line, whatever the template's line breaks.
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send(messages: Sequence[EmailMultiAlternatives]) -> list[bool]:
    """Send each message on its own over one connection, so that one refused address does
    not stop the others. A failure is logged, never raised: mail is a side effect and must
    not undo or break the work that caused it. Returns whether each message went out."""
    if not messages:
        return []
    sent = [False] * len(messages)
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception(
            "Could not connect to the mail server; %d e-mail(s) not sent.", len(messages)
        )
        return sent
    try:
        for n, message in enumerate(messages):
            message.connection = connection
            try:
                sent[n] = message.send() == 1
            except Exception:
                # Subjects name partners and counts, never a child; the body stays out of the log.
                logger.exception("Sending an e-mail failed (%s).", message.subject)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Closing the mail connection failed.")
    return sent
