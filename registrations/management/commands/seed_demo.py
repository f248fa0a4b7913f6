from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registrations.models import Posyandu, Village

DEMO_POSYANDU = ["Demo Melati", "Demo Mawar"]
ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "gasken-demo"


class Command(BaseCommand):
    help = "Isi data demo (posyandu demo dan akun admin). Hanya untuk DEBUG=true."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo hanya boleh dijalankan dengan DEBUG=true: data demo tidak boleh "
                "masuk ke server sungguhan."
            )
        with transaction.atomic():
            created = self.seed_posyandu()
            self.seed_admin()
        self.stdout.write(self.style.SUCCESS(f"Posyandu demo baru: {created}."))
        self.stdout.write(
            "\nMasuk ke http://localhost:8000/admin/ sebagai "
            f"{ADMIN_USERNAME} / {DEMO_PASSWORD}\n"
            "Formulir kader: http://localhost:8000/lapor/\n"
        )

    def seed_posyandu(self):
        created = 0
        for village in Village.objects.all():
            for name in DEMO_POSYANDU:
                _, new = Posyandu.objects.get_or_create(
                    village=village, name=name, defaults={"is_demo": True}
                )
                created += new
        return created

    def seed_admin(self):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=ADMIN_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
