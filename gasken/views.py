from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def home(request):
    """Send each role to its own starting page."""
    user = request.user
    if user.has_perm("verification.view_cases"):
        return redirect("verification:queue")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "home.html")
