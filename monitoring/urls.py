from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("pemantauan/", views.dashboard, name="dashboard"),
    path("pemantauan/daftar/<slug:name>/", views.worklist, name="worklist"),
    path("ringkasan/", views.summary, name="summary"),
    # --- Excel recaps: kecamatan staff and village governments, partners ---
    path("pemantauan/unduh/<slug:workbook>.xlsx", views.export_workbook, name="export"),
    path("mitra/unduh/<slug:workbook>.xlsx", views.export_partner_workbook, name="partner_export"),
]
