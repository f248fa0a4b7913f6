from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from gasken import views

handler500 = "gasken.views.server_error"

admin.site.site_header = "GASKEN Kecamatan Sungailiat"
admin.site.site_title = "GASKEN"
admin.site.index_title = "Administrasi"
# "Lihat situs" leads staff to their own starting page, not to the kader's form.
admin.site.site_url = "/beranda/"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registrations:intake"), name="root"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("beranda/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("akun/masuk/", views.LoginView.as_view(), name="login"),
    path("akun/keluar/", views.LogoutView.as_view(), name="logout"),
    path("akun/ganti-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/ganti-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("akun/lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "akun/lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "akun/atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # One back office: the admin logs in and out, and changes passwords, on the same pages
    # as the staff pages (with their lockout, messages and forced password change).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/logout/", views.LogoutView.as_view(), name="admin_logout"),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("verifikasi/", include("verification.urls")),
    path("", include("interventions.urls")),
    path("", include("monitoring.urls")),
    path("", include("registrations.urls")),
]
