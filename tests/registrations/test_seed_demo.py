import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registrations.models import Posyandu

pytestmark = pytest.mark.django_db


def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo")
    assert Posyandu.objects.count() == 0
    assert not get_user_model().objects.exists()


def test_it_creates_demo_data_and_can_run_again(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin / gasken-demo" in out
    assert Posyandu.objects.filter(is_demo=True).count() == 26
    assert Posyandu.objects.values("village").distinct().count() == 13
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("gasken-demo")

    call_command("seed_demo")
    assert Posyandu.objects.count() == 26
    assert get_user_model().objects.count() == 1
