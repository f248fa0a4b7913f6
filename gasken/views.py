from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@login_required
def home(request):
    """Send each role to its own starting page."""
    user = request.user
    if user.has_perm("verification.view_cases"):
        return redirect("verification:queue")
    # Partner and village pages need the account linked to its partner, not only the role.
    membership = getattr(user, "partner_membership", None)
    if membership and user.has_perm("interventions.work_as_partner"):
        return redirect("interventions:partner_home")
    if membership and membership.partner.village_id and user.has_perm("interventions.view_village"):
        return redirect("interventions:village_home")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "home.html")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico on their own, whatever the pages link to.
    return FileResponse(open(finders.find("img/favicon.ico"), "rb"), content_type="image/x-icon")
