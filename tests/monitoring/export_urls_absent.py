"""The project's URLs without the recap downloads (monitoring:export)."""

from django.urls import include, path

import monitoring.urls
from gasken.urls import urlpatterns as project_urls

urlpatterns = [
    path(
        "",
        include(([p for p in monitoring.urls.urlpatterns if p.name != "export"], "monitoring")),
    ),
    *(p for p in project_urls if getattr(p, "namespace", None) != "monitoring"),
]
