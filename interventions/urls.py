from django.urls import path

from interventions import views

app_name = "interventions"

urlpatterns = [
    path("intervensi/", views.intervention_list, name="list"),
    path("intervensi/tugaskan/", views.assign_children, name="assign"),
    path("intervensi/<int:pk>/", views.intervention_detail, name="detail"),
    path("intervensi/<int:pk>/status/", views.intervention_status, name="status"),
    path("intervensi/foto/<int:pk>/", views.delivery_photo, name="photo"),
    path("mitra/", views.partner_home, name="partner_home"),
    path("mitra/anak/<int:pk>/", views.partner_child, name="partner_child"),
    path("mitra/tugas/<int:pk>/catat/", views.partner_record, name="partner_record"),
    path("mitra/tugas/<int:pk>/status/", views.partner_status, name="partner_status"),
    path("desa/", views.village_home, name="village_home"),
    path("desa/anak/<int:pk>/", views.village_child, name="village_child"),
]
