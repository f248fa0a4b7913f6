from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gasken.navigation import pages_for


@login_required
def home(request):
    """Send each role to its own starting page."""
    pages = pages_for(request.user)
    if pages:
        _, url = pages[0]
        return redirect(url)
    return render(request, "home.html")


def locked_out(request, original_response=None, credentials=None):
    """The page of a login refused by django-axes after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
