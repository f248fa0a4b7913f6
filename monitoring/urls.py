from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("pemantauan/", views.dashboard, name="dashboard"),
    path("pemantauan/daftar/<slug:name>/", views.worklist, name="worklist"),
    path("ringkasan/", views.summary, name="summary"),
]
