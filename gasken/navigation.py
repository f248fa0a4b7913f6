"""Which pages each role may open: the menu lists them, the home page sends a user to the first."""

from django.urls import reverse

from interventions.models import PartnerMember
from monitoring.access import villages_for


def pages_for(user):
    """(label, url) of the pages the user works in, in menu order."""
    if not user.is_authenticated:
        return []
    pages = []
    if user.has_perm("verification.view_cases"):
        pages += [("Antrean laporan", "verification:queue"), ("Anak", "verification:children")]
    if user.has_perm("interventions.view_intervention"):
        pages.append(("Intervensi", "interventions:list"))
    # Partner and village pages need the account linked to its partner, not only the role.
    membership = PartnerMember.of(user)
    if membership and user.has_perm("interventions.work_as_partner"):
        pages.append(("Anak dampingan", "interventions:partner_home"))
    if membership and membership.partner.village_id and user.has_perm("interventions.view_village"):
        pages.append(("Anak di wilayah", "interventions:village_home"))
    if villages_for(user) is not None:
        pages.append(("Pemantauan", "monitoring:dashboard"))
    if user.is_staff:
        pages.append(("Admin", "admin:index"))
    return [(label, reverse(name)) for label, name in pages]


def menu(request):
    """Template context: `menu`, worked out only by pages that show it."""
    return {"menu": lambda: pages_for(request.user)}
