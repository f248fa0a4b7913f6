from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "GASKEN Kecamatan Sungailiat"
admin.site.site_title = "GASKEN"
admin.site.index_title = "Administrasi"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registrations:intake"), name="home"),
    path("admin/", admin.site.urls),
    path("", include("registrations.urls")),
]
