from django.urls import path

from interventions import activity_views, obstacle_views, views

app_name = "interventions"

urlpatterns = [
    path("intervensi/", views.intervention_list, name="list"),
    path("intervensi/tugaskan/", views.assign_children, name="assign"),
    path("intervensi/tugaskan/ibu/<int:pk>/", views.assign_mother, name="assign_mother"),
    path("intervensi/<int:pk>/", views.intervention_detail, name="detail"),
    path("intervensi/<int:pk>/status/", views.intervention_status, name="status"),
    path("intervensi/foto/<int:pk>/", views.delivery_photo, name="photo"),
    path("mitra/", views.partner_home, name="partner_home"),
    path("mitra/anak/<int:pk>/", views.partner_child, name="partner_child"),
    path("mitra/ibu/<int:pk>/", views.partner_mother, name="partner_mother"),
    path("mitra/tugas/<int:pk>/catat/", views.partner_record, name="partner_record"),
    path("mitra/tugas/<int:pk>/status/", views.partner_status, name="partner_status"),
    path("desa/", views.village_home, name="village_home"),
    path("desa/anak/<int:pk>/", views.village_child, name="village_child"),
    path("desa/ibu/<int:pk>/", views.village_mother, name="village_mother"),
    # --- obstacles ---
    path("kendala/", obstacle_views.obstacle_list, name="obstacle_list"),
    path("kendala/<int:pk>/", obstacle_views.obstacle_detail, name="obstacle_detail"),
    path(
        "kendala/<int:pk>/tangani/",
        obstacle_views.obstacle_mark_handled,
        name="obstacle_handle",
    ),
    path("mitra/kendala/", obstacle_views.partner_obstacle_list, name="partner_obstacle_list"),
    path(
        "mitra/tugas/<int:pk>/kendala/",
        obstacle_views.partner_obstacle_record,
        name="partner_obstacle_record",
    ),
    # --- group activities ---
    path("kegiatan/", activity_views.activity_list, name="activity_list"),
    path("kegiatan/baru/", activity_views.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", activity_views.activity_edit, name="activity_edit"),
    path("kegiatan/foto/<int:pk>/", activity_views.activity_photo, name="activity_photo"),
    path("mitra/kegiatan/", activity_views.partner_activity_list, name="partner_activity_list"),
    path(
        "mitra/kegiatan/baru/",
        activity_views.partner_activity_create,
        name="partner_activity_create",
    ),
    path(
        "mitra/kegiatan/<int:pk>/",
        activity_views.partner_activity_detail,
        name="partner_activity_detail",
    ),
    path(
        "mitra/kegiatan/<int:pk>/ubah/",
        activity_views.partner_activity_edit,
        name="partner_activity_edit",
    ),
    path("desa/kegiatan/", activity_views.village_activity_list, name="village_activity_list"),
    path(
        "desa/kegiatan/<int:pk>/",
        activity_views.village_activity_detail,
        name="village_activity_detail",
    ),
]
