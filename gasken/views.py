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
