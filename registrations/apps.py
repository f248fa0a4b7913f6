from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = "Pendaftaran dan anak"

    def ready(self):
        # Connects the signals that drop the kept intake form when villages or posyandu change.
        from registrations import intake_page  # noqa: F401
