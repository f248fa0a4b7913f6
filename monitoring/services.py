from datetime import date as Date

from django.contrib.auth.models import User

from interventions.models import Partner
from monitoring.models import EXPORT_WORKBOOK
from registrations.models import AccessLog, Village


def workbook_log_export(
    *,
    workbook: str,
    filename: str,
    rows: int,
    subtitle: str,
    date_from: Date | None,
    date_to: Date | None,
    village: Village | None,
    partner: Partner | None,
    user: User,
    ip_address: str | None,
) -> None:
    """Log that `user` downloaded a workbook of `rows` rows, made with the filters that
    `subtitle` names; the workbook's name and its filters are kept as values too."""
    AccessLog.record(
        user=user,
        action=EXPORT_WORKBOOK,
        ip_address=ip_address,
        detail=f"{filename} · {rows} baris · {subtitle}",
        workbook=workbook,
        rows=rows,
        date_from=date_from,
        date_to=date_to,
        village=village.code if village else None,
        partner=partner.name if partner else None,
    )
