"""The empty intake form served from a kept copy (registrations/intake_page.py): the same
page as a fresh render, its own key and CSRF token per request, no table read, and a new
copy whenever villages or posyandu change."""

import re
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client

from registrations import intake_page
from registrations.forms import IntakeForm, ReceiptLookupForm
from registrations.models import Posyandu, Submission
from tests.builders import TODAY, hidden_value, intake_data, jpeg_upload

pytestmark = pytest.mark.django_db


def fresh_render(rf, posyandu=None, village=None):
    """The page as the view rendered it before it kept copies: the template with the
    request, a new key and the request's CSRF token."""
    initial = {"idempotency_key": uuid.uuid4()}
    if posyandu:
        village = posyandu.village
        initial["posyandu"] = posyandu.code
    if village:
        initial["village"] = village.code
    ctx = {
        "form": IntakeForm(initial=initial),
        "posyandu": posyandu,
        "village": village,
        "lost_files": False,
        "lookup_form": ReceiptLookupForm(),
    }
    return render_to_string("registrations/intake.html", ctx, request=rf.get("/lapor/"))


def without_tokens(html):
    for name in ("idempotency_key", "csrfmiddlewaretoken"):
        html = html.replace(f'value="{hidden_value(html, name)}"', f'value="{name}"')
    return html


def move_clock(monkeypatch, seconds):
    """Puts the clock the kept copies are timed by `seconds` ahead of the real one."""
    monkeypatch.setattr(intake_page, "monotonic", lambda: time.monotonic() + seconds)


def page(client, url="/lapor/melati/"):
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


VILLAGE_URL = "/lapor/desa/19.01.01.1009/"  # Matras


@pytest.mark.parametrize("url", ["/lapor/", "/lapor/melati/", VILLAGE_URL])
def test_it_serves_the_same_page_as_a_fresh_render(client, rf, posyandu, other_posyandu, url):
    place = {
        "/lapor/": {},
        "/lapor/melati/": {"posyandu": posyandu},
        VILLAGE_URL: {"village": posyandu.village},
    }[url]
    expected = without_tokens(fresh_render(rf, **place))
    first = client.get(url)  # rendered and kept
    second = client.get(url)  # the kept copy
    assert [t.name for t in second.templates] == []
    assert without_tokens(first.content.decode()) == expected
    assert without_tokens(second.content.decode()) == expected
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in second["Cache-Control"]


def test_each_request_gets_its_own_key_and_csrf_token(posyandu):
    client = Client(enforce_csrf_checks=True)
    pages = [page(client) for _ in range(3)]
    keys = {uuid.UUID(hidden_value(html, "idempotency_key")) for html in pages}
    tokens = {hidden_value(html, "csrfmiddlewaretoken") for html in pages}
    assert len(keys) == 3
    assert len(tokens) == 3 and all(re.fullmatch(r"[A-Za-z0-9]{64}", t) for t in tokens)
    assert client.cookies["csrftoken"].value


def test_a_report_sent_from_the_kept_page_is_saved_once(posyandu, media_root):
    client = Client(enforce_csrf_checks=True)
    page(client)
    html = page(client)
    key = hidden_value(html, "idempotency_key")
    data = intake_data(
        kk_file=jpeg_upload("kk.jpg"),
        idempotency_key=key,
        csrfmiddlewaretoken=hidden_value(html, "csrfmiddlewaretoken"),
    )
    r = client.post("/lapor/melati/", data)
    assert r.status_code == 302
    assert Submission.objects.get().idempotency_key == uuid.UUID(key)


def test_it_still_refuses_a_post_without_the_csrf_token(posyandu):
    client = Client(enforce_csrf_checks=True)
    page(client)
    r = client.post("/lapor/melati/", intake_data(kk_file=jpeg_upload("kk.jpg")))
    assert r.status_code == 403
    assert Submission.objects.count() == 0


def test_a_kept_page_reads_no_table(client, posyandu, django_assert_num_queries):
    page(client)
    page(client, "/lapor/")
    page(client, VILLAGE_URL)
    with django_assert_num_queries(0):
        page(client)
        page(client, "/lapor/")
        page(client, VILLAGE_URL)


def test_with_the_database_cache_it_reads_the_stamp_once_a_second(
    client, posyandu, settings, monkeypatch, django_assert_num_queries
):
    call_command("createcachetable", verbosity=0)  # exists already, unless CACHE_URL is Redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gasken_cache",
        }
    }
    page(client)
    with django_assert_num_queries(0):
        page(client)
    move_clock(monkeypatch, intake_page.CHECK_EVERY)
    with django_assert_num_queries(1) as queries:
        page(client)
        page(client)
    assert "gasken_cache" in queries.captured_queries[0]["sql"]


def test_it_shows_a_new_posyandu(client, posyandu, village):
    assert "Anggrek" not in page(client, "/lapor/")
    Posyandu.objects.create(name="Anggrek", village=village, code="anggrek")
    assert 'value="anggrek" data-village="19.01.01.1009">Anggrek</option>' in page(
        client, "/lapor/"
    )
    assert 'value="anggrek" data-village="19.01.01.1009">Anggrek</option>' in page(client)
    assert "Posyandu Anggrek, Kelurahan Matras" in page(client, "/lapor/anggrek/")


def test_it_shows_a_renamed_posyandu(client, posyandu):
    assert "Posyandu Melati, Kelurahan Matras" in page(client)
    posyandu.name = "Melati Indah"
    posyandu.save()
    html = page(client)
    assert "Posyandu Melati Indah, Kelurahan Matras" in html
    assert ">Melati<" not in html


def test_it_drops_a_deactivated_posyandu(client, posyandu, other_posyandu):
    assert 'value="kenanga"' in page(client, "/lapor/")
    page(client, "/lapor/kenanga/")
    other_posyandu.is_active = False
    other_posyandu.save()
    assert client.get("/lapor/kenanga/").status_code == 404
    assert 'value="kenanga"' not in page(client, "/lapor/")
    assert 'value="kenanga"' not in page(client)


def test_it_drops_a_deleted_posyandu(client, posyandu, other_posyandu):
    assert 'value="kenanga"' in page(client)
    other_posyandu.delete()
    assert 'value="kenanga"' not in page(client)


def test_it_shows_a_renamed_village(client, posyandu):
    assert "Kelurahan Matras" in page(client)
    village = posyandu.village
    village.name = "Matras Baru"
    village.save()
    html = page(client)
    assert "Posyandu Melati, Kelurahan Matras Baru" in html
    assert ">Kelurahan Matras Baru</option>" in html


def test_it_follows_a_change_saved_by_another_process(client, posyandu, monkeypatch):
    """Another process renews the stamp in the shared cache; this one's signals never ran."""
    assert "Posyandu Melati," in page(client)
    Posyandu.objects.filter(pk=posyandu.pk).update(name="Cempaka")  # no signal here
    cache.set(intake_page.VERSION_KEY, "renewed elsewhere")
    assert "Posyandu Melati," in page(client)  # the stamp is read once a second
    move_clock(monkeypatch, intake_page.CHECK_EVERY)
    assert "Posyandu Cempaka," in page(client)


def test_it_renders_again_when_the_cache_lost_the_stamp(client, posyandu, monkeypatch):
    page(client)
    Posyandu.objects.filter(pk=posyandu.pk).update(name="Cempaka")
    cache.clear()  # a restarted cache, or one that culled the stamp
    move_clock(monkeypatch, intake_page.CHECK_EVERY)
    assert "Posyandu Cempaka," in page(client)


def test_it_renews_the_stamp_again_when_the_change_commits(
    client, posyandu, django_capture_on_commit_callbacks
):
    """A process that renders between the save and the commit reads the data before the
    change: the stamp renewed at the commit drops that copy."""
    with django_capture_on_commit_callbacks(execute=True):
        posyandu.name = "Cempaka"
        posyandu.save()
        saved = intake_page.version()
    assert intake_page.version() != saved


def test_it_renders_again_after_max_age(client, posyandu, monkeypatch):
    page(client)
    Posyandu.objects.filter(pk=posyandu.pk).update(name="Cempaka")  # around the signals
    move_clock(monkeypatch, intake_page.MAX_AGE - 1)
    assert "Posyandu Melati," in page(client)
    move_clock(monkeypatch, intake_page.MAX_AGE)
    assert "Posyandu Cempaka," in page(client)


def test_it_renders_again_the_next_day(client, posyandu, clock):
    assert f'max="{TODAY.isoformat()}"' in page(client)
    clock.move_to(TODAY + timedelta(days=1))
    html = page(client)
    assert f'max="{(TODAY + timedelta(days=1)).isoformat()}"' in html
    assert f'max="{TODAY.isoformat()}"' not in html


def test_it_keeps_a_bounded_number_of_pages(client, village, monkeypatch):
    monkeypatch.setattr(intake_page, "MAX_PAGES", 3)
    for i in range(5):
        Posyandu.objects.create(name=f"P{i}", village=village, code=f"p{i}")
    for i in range(5):
        page(client, f"/lapor/p{i}/")
    assert len(intake_page._kept) == 3


def test_an_unknown_posyandu_is_not_kept(client, posyandu):
    assert client.get("/lapor/tidak-ada/").status_code == 404
    assert client.get("/lapor/tidak-ada/").status_code == 404
    assert all(name[0] != "tidak-ada" for name in intake_page._kept)


def test_each_village_has_its_own_kept_page(client, posyandu, other_posyandu):
    matras = page(client, VILLAGE_URL)
    rebo = page(client, "/lapor/desa/19.01.01.2007/")
    general = page(client, "/lapor/")
    assert "<small>Kelurahan Matras</small>" in matras
    assert '<option value="19.01.01.1009" selected>' in matras
    assert "<small>Desa Rebo</small>" in rebo
    assert '<option value="19.01.01.2007" selected>' in rebo
    assert '<option value="" selected>— pilih kelurahan/desa —</option>' in general
    # Kept apart from the posyandu page of the same village, and from each other.
    assert "Posyandu Melati, Kelurahan Matras" not in page(client, VILLAGE_URL)
    assert "<small>Kelurahan Matras</small>" in page(client, VILLAGE_URL)
    assert "<small>Desa Rebo</small>" in page(client, "/lapor/desa/19.01.01.2007/")
    assert {name[:2] for name in intake_page._kept} == {
        (None, "19.01.01.1009"),
        (None, "19.01.01.2007"),
        (None, None),
    }


def test_a_village_page_shows_a_new_posyandu_and_a_renamed_village(client, village):
    assert "Anggrek" not in page(client, VILLAGE_URL)
    Posyandu.objects.create(name="Anggrek", village=village, code="anggrek")
    assert 'value="anggrek" data-village="19.01.01.1009">Anggrek</option>' in page(
        client, VILLAGE_URL
    )
    village.name = "Matras Baru"
    village.save()
    assert "<small>Kelurahan Matras Baru</small>" in page(client, VILLAGE_URL)


def test_a_village_page_follows_a_change_saved_by_another_process(client, village, monkeypatch):
    assert "<small>Kelurahan Matras</small>" in page(client, VILLAGE_URL)
    type(village).objects.filter(pk=village.pk).update(name="Cempaka")  # no signal here
    cache.set(intake_page.VERSION_KEY, "renewed elsewhere")
    assert "<small>Kelurahan Matras</small>" in page(client, VILLAGE_URL)
    move_clock(monkeypatch, intake_page.CHECK_EVERY)
    assert "<small>Kelurahan Cempaka</small>" in page(client, VILLAGE_URL)


def test_an_unknown_village_is_not_kept(client, village):
    assert client.get("/lapor/desa/19.01.01.9999/").status_code == 404
    assert client.get("/lapor/desa/19.01.01.9999/").status_code == 404
    assert all(name[1] != "19.01.01.9999" for name in intake_page._kept)


def test_a_report_sent_from_the_kept_village_page_is_saved_once(posyandu, media_root):
    client = Client(enforce_csrf_checks=True)
    page(client, VILLAGE_URL)
    html = page(client, VILLAGE_URL)
    key = hidden_value(html, "idempotency_key")
    data = intake_data(
        kk_file=jpeg_upload("kk.jpg"),
        idempotency_key=key,
        csrfmiddlewaretoken=hidden_value(html, "csrfmiddlewaretoken"),
    )
    assert client.post(VILLAGE_URL, data).status_code == 302
    assert client.post(VILLAGE_URL, data).status_code == 302  # sent again: the same report
    s = Submission.objects.get()
    assert (s.idempotency_key, s.village, s.posyandu) == (
        uuid.UUID(key),
        posyandu.village,
        posyandu,
    )


def test_the_next_report_is_rendered_with_the_kader_filled_in(client, posyandu):
    """?dari= is per kader: never served from, nor stored as, the kept page."""
    page(client, "/lapor/")
    post = client.post("/lapor/", intake_data(kk_file=jpeg_upload("kk.jpg")))
    code = Submission.objects.get().code
    assert post.status_code == 302
    html = page(client, f"/lapor/?dari={code}")
    assert 'value="Siti Aminah"' in html
    assert 'value="Siti Aminah"' not in page(client, "/lapor/")


class CacheDown:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_the_form_opens_while_the_cache_is_down(client, posyandu, monkeypatch):
    page(client)
    monkeypatch.setattr(intake_page, "cache", CacheDown())
    move_clock(monkeypatch, intake_page.CHECK_EVERY)
    html = page(client)  # the kept copy
    assert "Posyandu Melati," in html and hidden_value(html, "idempotency_key")
    assert 'value="melati"' in page(client, "/lapor/")  # rendered, not kept
    assert not any(name[0] is None for name in intake_page._kept)


def test_a_posyandu_is_saved_while_the_cache_is_down(client, posyandu, monkeypatch):
    page(client)
    monkeypatch.setattr(intake_page, "cache", CacheDown())
    posyandu.name = "Cempaka"
    posyandu.save()
    assert Posyandu.objects.get().name == "Cempaka"
    assert "Posyandu Cempaka," in page(client)


def test_nothing_is_kept_in_development(client, posyandu, settings):
    settings.DEBUG = True  # templates edited on a development machine show at once
    page(client)
    assert "registrations/intake.html" in [t.name for t in client.get("/lapor/melati/").templates]
    assert intake_page._kept == {}


def test_a_page_without_its_slots_is_refused(posyandu):
    with pytest.raises(ValueError):
        intake_page.page("broken", lambda: "<form></form>", key=uuid.uuid4(), csrf_token="x")
