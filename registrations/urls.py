from django.urls import path

from registrations import views

app_name = "registrations"

MOTHER = {"mother": True}

urlpatterns = [
    path("lapor/", views.intake, name="intake"),
    path("lapor/qr.png", views.qr_png, name="qr_png"),
    path("lapor/qr.svg", views.qr_svg, name="qr_svg"),
    path("lapor/cek-ukur/", views.check_measurement, name="check_measurement"),
    path("lapor/status/", views.find_receipt, name="find_receipt"),
    path("lapor/sw.js", views.service_worker, name="service_worker"),
    path("lapor/manifest.webmanifest", views.manifest, name="manifest"),
    path("lapor/status/kode.json", views.statuses, name="statuses"),
    path("lapor/status/<str:code>/", views.receipt, name="receipt"),
    path("lapor/status/<str:code>/perbaiki/", views.correct, name="correct"),
    path("lapor/poster/", views.general_poster, name="general_poster"),
    # The mother's form (guideline D.3): the same addresses, with ibu/ at the end.
    path("lapor/ibu/", views.mother_intake, name="mother_intake"),
    path("lapor/ibu/qr.png", views.qr_png, MOTHER, name="mother_qr_png"),
    path("lapor/ibu/qr.svg", views.qr_svg, MOTHER, name="mother_qr_svg"),
    path("lapor/ibu/poster/", views.general_poster, MOTHER, name="mother_general_poster"),
    path("lapor/desa/<str:village_code>/", views.intake, name="intake_village"),
    path("lapor/desa/<str:village_code>/qr.png", views.qr_png, name="village_qr_png"),
    path("lapor/desa/<str:village_code>/qr.svg", views.qr_svg, name="village_qr_svg"),
    path("lapor/desa/<str:village_code>/poster/", views.village_poster, name="village_poster"),
    path(
        "lapor/desa/<str:village_code>/poster/semua/",
        views.village_posters,
        name="village_posters",
    ),
    path("lapor/desa/<str:village_code>/ibu/", views.mother_intake, name="mother_intake_village"),
    path(
        "lapor/desa/<str:village_code>/ibu/qr.png",
        views.qr_png,
        MOTHER,
        name="mother_village_qr_png",
    ),
    path(
        "lapor/desa/<str:village_code>/ibu/qr.svg",
        views.qr_svg,
        MOTHER,
        name="mother_village_qr_svg",
    ),
    path(
        "lapor/desa/<str:village_code>/ibu/poster/",
        views.village_poster,
        MOTHER,
        name="mother_village_poster",
    ),
    path(
        "lapor/desa/<str:village_code>/ibu/poster/semua/",
        views.village_posters,
        MOTHER,
        name="mother_village_posters",
    ),
    path("lapor/<slug:posyandu_code>/", views.intake, name="intake_posyandu"),
    path("lapor/<slug:posyandu_code>/qr.png", views.qr_png, name="posyandu_qr_png"),
    path("lapor/<slug:posyandu_code>/qr.svg", views.qr_svg, name="posyandu_qr_svg"),
    path("lapor/<slug:posyandu_code>/poster/", views.poster, name="poster"),
    path("lapor/<slug:posyandu_code>/ibu/", views.mother_intake, name="mother_intake_posyandu"),
    path(
        "lapor/<slug:posyandu_code>/ibu/qr.png",
        views.qr_png,
        MOTHER,
        name="mother_posyandu_qr_png",
    ),
    path(
        "lapor/<slug:posyandu_code>/ibu/qr.svg",
        views.qr_svg,
        MOTHER,
        name="mother_posyandu_qr_svg",
    ),
    path("lapor/<slug:posyandu_code>/ibu/poster/", views.poster, MOTHER, name="mother_poster"),
    path(
        "lapor/<slug:posyandu_code>/manifest.webmanifest",
        views.manifest,
        name="posyandu_manifest",
    ),
    path("dokumen/<int:pk>/", views.document, name="document"),
]
