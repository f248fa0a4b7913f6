"""Who may open the monitoring pages, and over which kelurahan/desa."""

from interventions.models import PartnerMember
from registrations.models import Village


def villages_for(user):
    """(villages, is_staff): all villages for kecamatan staff, the own village for a user of
    an active village government; None when the user may not see the dashboard."""
    if not user.is_authenticated:
        return None
    if user.has_perm("verification.view_cases"):
        return Village.objects.all(), True
    membership = PartnerMember.of(user)
    if (
        user.has_perm("interventions.view_village")
        and membership is not None
        and membership.partner.village_id
        and membership.partner.is_active
    ):
        return Village.objects.filter(pk=membership.partner.village_id), False
    return None
