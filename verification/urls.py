from django.urls import path

from verification import views

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
]
