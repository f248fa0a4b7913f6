#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gasken.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    # Django would note a settings error and go on, so that a command that needs no settings
    # still runs; every command here needs them, and the error would surface later as an
    # unrelated one ("Models aren't loaded yet"). Name the wrong setting instead.
    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading it loads the settings)
    except ImproperlyConfigured as exc:
        sys.exit(f"Pengaturan salah: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
