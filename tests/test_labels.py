"""The admin and the forms speak Indonesian: no field is labelled with its English name."""

import pytest
from django.apps import apps

from interventions.models import Delivery
from registrations.models import Submission

APPS = ["registrations", "verification", "interventions", "monitoring"]
# Words that are the same in both languages.
SAME_IN_INDONESIAN = {"status", "posyandu"}
# Bookkeeping columns of django-simple-history, shown by its own (translated) pages.
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    # and of its copies of a many-to-many relation (an activity's partners).
    "m2m_history_id",
    "history",
}


def test_no_field_keeps_an_english_label():
    english = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if field.name in HISTORY_FIELDS | SAME_IN_INDONESIAN:
                    continue
                if field.verbose_name == field.name.replace("_", " "):
                    english.append(f"{model.__name__}.{field.name}")
            if str(model._meta.verbose_name).startswith("historical"):
                english.append(model.__name__)
    assert english == []


@pytest.mark.parametrize(
    "model, field, label",
    [
        (Delivery, "photo_original_name", "nama berkas foto asli"),
        (Delivery, "photo_sha256", "SHA-256 foto"),
        (Submission, "idempotency_key", "kunci kiriman"),
    ],
)
def test_the_labels_named_in_the_issue_are_indonesian(model, field, label):
    assert model._meta.get_field(field).verbose_name == label


@pytest.mark.django_db
def test_the_delivery_admin_shows_them(client, django_user_model, village):
    from tests.builders import make_child, make_delivery, make_intervention

    child = make_child(village)
    intervention = make_intervention(child)
    delivery = make_delivery(intervention, intervention.created_by, photo=True)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    html = client.get(f"/admin/interventions/delivery/{delivery.pk}/change/").content.decode()
    assert "Nama berkas foto asli" in html and "SHA-256 foto" in html
    assert "Photo original name" not in html and "Photo sha256" not in html
