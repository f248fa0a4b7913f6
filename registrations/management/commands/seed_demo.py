from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Isi data demo (posyandu, akun per peran, laporan dan anak contoh). Hanya untuk DEBUG=true."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo hanya boleh dijalankan dengan DEBUG=true: data demo tidak boleh "
                "masuk ke server sungguhan."
            )
        # Each app adds its own demo data in its `demo` module, in the order of
        # INSTALLED_APPS, so an app never has to import the apps that build on it.
        logins = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                name = f"{config.name}.demo"
                if find_spec(name):
                    logins += import_module(name).seed(self.stdout) or []

        self.stdout.write(
            self.style.SUCCESS("\nData demo siap. Masuk di http://localhost:8000/akun/masuk/")
        )
        for username, password, role in logins:
            self.stdout.write(f"  {username:<16} {password:<13} {role}")
        self.stdout.write("Formulir kader (tanpa login): http://localhost:8000/lapor/")
