"""The project's URLs plus a one-line view at /bench/halo/, for scripts/bench_intake.py to
compare the form page with. The product has no such URL."""

from django.http import HttpResponse
from django.urls import include, path

handler500 = "gasken.views.server_error"


def halo(request):
    return HttpResponse("halo")


urlpatterns = [
    path("bench/halo/", halo),
    path("", include("gasken.urls")),
]
