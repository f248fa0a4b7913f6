from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from gasken import views

admin.site.site_header = "GASKEN Kecamatan Sungailiat"
admin.site.site_title = "GASKEN"
admin.site.index_title = "Administrasi"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registrations:intake"), name="root"),
    path("beranda/", views.home, name="home"),
    path("akun/masuk/", auth_views.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "akun/ganti-sandi/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "akun/ganti-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("verifikasi/", include("verification.urls")),
    path("", include("interventions.urls")),
    path("", include("monitoring.urls")),
    path("", include("registrations.urls")),
]
