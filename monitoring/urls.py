from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    # --- Excel recaps ---
    path("pemantauan/unduh/<slug:workbook>.xlsx", views.export_workbook, name="export"),
]
