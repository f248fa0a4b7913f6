"""Which pages each role may open: the menu lists them, the home page sends a user to the first."""

from django.urls import reverse

from interventions.models import Intervention, Obstacle, PartnerMember
from monitoring.access import villages_for


def pages_for(user):
    """(label, url) of the pages the user works in, in menu order."""
    if not user.is_authenticated:
        return []
    pages = []
    if user.has_perm("verification.view_cases"):
        pages += [
            ("Antrean laporan", "verification:queue"),
            ("Anak", "verification:children"),
            ("Ibu", "verification:mothers"),
        ]
    if user.has_perm("interventions.view_intervention"):
        pages.append(("Intervensi", "interventions:list"))
    if user.has_perm("interventions.view_obstacle"):
        pages.append(("Kendala", "interventions:obstacle_list"))
    if user.has_perm("interventions.view_activity"):
        pages.append(("Kegiatan", "interventions:activity_list"))
    # Partner and village pages need the account linked to its partner, not only the role.
    membership = PartnerMember.of(user)
    if membership and user.has_perm("interventions.work_as_partner"):
        pages.append(("Dampingan", "interventions:partner_home"))
        pages.append(("Kendala", "interventions:partner_obstacle_list"))
        pages.append(("Kegiatan", "interventions:partner_activity_list"))
    if membership and membership.partner.village_id and user.has_perm("interventions.view_village"):
        pages.append(("Sasaran di wilayah", "interventions:village_home"))
        pages.append(("Kegiatan", "interventions:village_activity_list"))
    if villages_for(user) is not None:
        pages.append(("Pemantauan", "monitoring:dashboard"))
    if user.is_staff:
        pages.append(("Admin", "admin:index"))
    return [(label, reverse(name)) for label, name in pages]


def missing_link(user):
    """Why a user with a partner or village role has no page yet: "partner" for a Mitra
    account not linked to a partner, "village" for a village account not linked to the
    government of a kelurahan/desa; None otherwise."""
    membership = PartnerMember.of(user)
    if user.has_perm("interventions.work_as_partner") and membership is None:
        return "partner"
    if user.has_perm("interventions.view_village") and (
        membership is None or membership.partner.village_id is None
    ):
        return "village"
    return None


def new_assignments_for(user):
    """How many open assignments of the user's partner none of its users has opened yet."""
    membership = PartnerMember.of(user)
    if not (membership and user.has_perm("interventions.work_as_partner")):
        return 0
    return Intervention.objects.new_for_partner(membership.partner).count()


def open_obstacles_for(user):
    """How many obstacles wait for the kecamatan, for a user who handles them."""
    if not user.has_perm("interventions.change_obstacle"):
        return 0
    return Obstacle.objects.filter(status=Obstacle.Status.OPEN).count()


def menu(request):
    """Template context: `menu`, the (label, url, badge) of each page, worked out only by
    pages that show it. The partner page's badge counts its new assignments; the obstacle
    worklist's the obstacles waiting for the kecamatan."""

    def entries():
        partner_home = reverse("interventions:partner_home")
        obstacles = reverse("interventions:obstacle_list")
        result = []
        for label, url in pages_for(request.user):
            badge = ""
            if url == partner_home:
                count = new_assignments_for(request.user)
                badge = f"{count} baru" if count else ""
            elif url == obstacles:
                count = open_obstacles_for(request.user)
                badge = f"{count} terbuka" if count else ""
            result.append((label, url, badge))
        return result

    return {"menu": entries}
