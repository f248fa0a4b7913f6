from django.contrib.auth.models import User

from registrations.models import AccessLog


def workbook_log_export(
    *, filename: str, rows: int, subtitle: str, user: User, ip_address: str | None
) -> None:
    """Log that `user` downloaded a workbook of `rows` rows, made with the filters that
    `subtitle` names."""
    AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.EXPORT,
        detail=f"{filename} · {rows} baris · {subtitle}"[:255],
        ip_address=ip_address,
    )
