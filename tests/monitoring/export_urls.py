"""The project's URLs plus a stand-in for the recap downloads (monitoring:export), so the
download block can be tested whether or not the real recaps are present."""

from django.http import HttpResponse
from django.urls import include, path

import monitoring.urls
from gasken.urls import urlpatterns as project_urls


def export(request, workbook):
    return HttpResponse(workbook)


monitoring_urls = [
    path("pemantauan/unduh/<slug:workbook>.xlsx", export, name="export"),
    *monitoring.urls.urlpatterns,
]

urlpatterns = [
    path("", include((monitoring_urls, "monitoring"))),
    *(p for p in project_urls if getattr(p, "namespace", None) != "monitoring"),
]
