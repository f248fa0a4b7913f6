"""The project's URLs plus a stand-in for a mother's registry page (verification:mother),
so the mothers' worklist renders whether or not that page is present yet."""

from django.http import HttpResponse
from django.urls import include, path

import verification.urls
from gasken.urls import urlpatterns as project_urls


def mother(request, pk):
    return HttpResponse(f"ibu {pk}")


verification_urls = list(verification.urls.urlpatterns)
if "mother" not in {getattr(p, "name", None) for p in verification_urls}:
    verification_urls.append(path("ibu/<int:pk>/", mother, name="mother"))

urlpatterns = [
    path("verifikasi/", include((verification_urls, "verification"))),
    *(p for p in project_urls if getattr(p, "namespace", None) != "verification"),
]
