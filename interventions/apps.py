from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class InterventionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interventions"
    verbose_name = "Intervensi dan mitra"

    def ready(self):
        from interventions.models import remember_password_change_required

        user_logged_in.connect(remember_password_change_required, dispatch_uid="gasken-password")
