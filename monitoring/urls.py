from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    # --- Excel recaps: staff, partners, village governments ---
    path("pemantauan/unduh/<slug:workbook>.xlsx", views.export_workbook, name="export"),
    path("mitra/unduh/<slug:workbook>.xlsx", views.export_partner_workbook, name="partner_export"),
    path("desa/unduh/<slug:workbook>.xlsx", views.export_village_workbook, name="village_export"),
]
