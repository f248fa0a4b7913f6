from django.urls import path

from verification import mother_views, views

app_name = "verification"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("laporan/<int:pk>/", views.submission_detail, name="submission"),
    path("laporan/<int:pk>/putuskan/", views.decide_submission, name="decide"),
    path("anak/", views.children, name="children"),
    path("anak/usia-5-tahun/", views.aged_out, name="aged_out"),
    path("anak/usia-5-tahun/tutup/", views.close_aged_out, name="close_aged_out"),
    path("anak/<int:pk>/", views.child_detail, name="child"),
    path("anak/<int:pk>/ubah/", views.edit_child, name="edit_child"),
    path("anak/<int:pk>/ukur/", views.add_measurement, name="add_measurement"),
    path("anak/<int:pk>/gabungkan/", views.merge_child, name="merge_child"),
    path(
        "anak/<int:pk>/status-program/",
        views.edit_programme_status,
        name="programme_status",
    ),
    path("laporan-ibu/<int:pk>/", mother_views.mother_report_detail, name="mother_report"),
    path(
        "laporan-ibu/<int:pk>/putuskan/",
        mother_views.decide_mother_report,
        name="decide_mother_report",
    ),
    path("ibu/", mother_views.mothers, name="mothers"),
    path("ibu/<int:pk>/", mother_views.mother_detail, name="mother"),
    path("ibu/<int:pk>/ubah/", mother_views.edit_mother, name="edit_mother"),
    path("ibu/<int:pk>/gabungkan/", mother_views.merge_mother, name="merge_mother"),
    path("ibu/<int:pk>/periksa/", mother_views.add_mother_check, name="add_mother_check"),
    path(
        "ibu/<int:pk>/status-program/",
        mother_views.edit_mother_programme_status,
        name="mother_programme_status",
    ),
]
