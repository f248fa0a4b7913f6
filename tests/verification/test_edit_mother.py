"""Staff correct a registered mother's identity; every change is in her history."""

from datetime import date

import pytest

from tests.builders import login_redirect, make_mother, messages_of

pytestmark = pytest.mark.django_db


def url(mother):
    return f"/verifikasi/ibu/{mother.pk}/ubah/"


def data(mother, **overrides):
    values = {
        "name": mother.name,
        "nik": mother.nik,
        "birth_date": mother.birth_date.strftime("%d-%m-%Y"),
        "phone": mother.phone,
        "address": mother.address,
        "kk_number": mother.kk_number,
        "husband_name": mother.husband_name,
        "village": mother.village_id,
        "posyandu": mother.posyandu_id or "",
    }
    values.update(overrides)
    return values


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    mother = make_mother(village)
    r = client.get(url(mother))
    assert r.status_code == 302 and r.url == login_redirect(url(mother))


@pytest.mark.parametrize("who", ["pimpinan", "outsider", "mitra_user", "desa_user"])
def test_only_the_verifikator_edits(client, request, who, village):
    mother = make_mother(village)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(mother)).status_code == 403
    assert client.post(url(mother), data(mother, name="Diubah")).status_code == 403
    mother.refresh_from_db()
    assert mother.name == "Siti Aminah"


def test_it_saves_the_changes_in_her_history(client, village, posyandu, verifikator):
    mother = make_mother(village)
    client.force_login(verifikator)
    assert client.get(url(mother)).status_code == 200
    r = client.post(
        url(mother),
        data(mother, name="Siti Aminah Putri", phone="0812-3456-7890", posyandu=posyandu.pk),
    )
    assert r.status_code == 302 and r.url == f"/verifikasi/ibu/{mother.pk}/"
    assert messages_of(r) == ["Data ibu disimpan."]
    mother.refresh_from_db()
    assert (mother.name, mother.phone, mother.posyandu) == (
        "Siti Aminah Putri",
        "6281234567890",
        posyandu,
    )
    latest = mother.history.first()
    assert latest.history_user == verifikator
    assert {c.field for c in latest.diff_against(latest.prev_record).changes} == {
        "name",
        "phone",
        "posyandu",
    }
    html = client.get(f"/verifikasi/ibu/{mother.pk}/").content.decode()
    assert "posyandu: “–” → “Posyandu Melati”" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nik": "12345"}, "16"),
        ({"birth_date": "01-01-2030"}, "masa depan"),
        ({"birth_date": "01-01-1900"}, "Tanggal lahir ibu tidak masuk akal"),
        ({"name": ""}, "tidak boleh kosong"),
    ],
)
def test_it_explains_bad_values(client, village, verifikator, overrides, message):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), data(mother, husband_name="Budi Baru", **overrides))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Data belum disimpan" in html and message in html
    assert 'value="Budi Baru"' in html
    mother.refresh_from_db()
    assert mother.husband_name == ""
    assert mother.history.count() == 1


def test_a_posyandu_of_another_village_is_refused(client, village, other_posyandu, verifikator):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), data(mother, posyandu=other_posyandu.pk))
    assert "Posyandu ini bukan di kelurahan/desa yang dipilih." in r.content.decode()
    mother.refresh_from_db()
    assert mother.posyandu is None


def test_a_merged_mother_is_changed_on_the_one_she_was_merged_into(client, village, verifikator):
    kept = make_mother(village)
    merged = make_mother(village, name="Siti Ganda", merged_into=kept, birth_date=date(1995, 7, 5))
    client.force_login(verifikator)
    r = client.get(url(merged))
    assert r.status_code == 302 and r.url == f"/verifikasi/ibu/{kept.pk}/"
