from django.urls import path

from verification import views

app_name = "verification"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("laporan/<int:pk>/", views.submission_detail, name="submission"),
    path("laporan/<int:pk>/putuskan/", views.decide_submission, name="decide"),
    path("anak/", views.children, name="children"),
    path("anak/<int:pk>/", views.child_detail, name="child"),
    path("anak/<int:pk>/ubah/", views.edit_child, name="edit_child"),
    path("anak/<int:pk>/ukur/", views.add_measurement, name="add_measurement"),
]
