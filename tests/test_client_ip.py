import pytest
from django.test import RequestFactory

from gasken.clients import client_ip

PROXIES = ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]


def ip_of(remote="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def proxies(settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network(p) for p in PROXIES]


def test_it_uses_the_connection_address_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert ip_of("10.1.2.3", "198.51.100.1") == "10.1.2.3"


def test_it_ignores_the_header_from_an_untrusted_address(proxies):
    assert ip_of("203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_it_takes_the_hop_the_trusted_proxy_saw(proxies):
    assert ip_of("10.1.2.3", "198.51.100.1") == "198.51.100.1"


def test_it_ignores_what_the_client_wrote_left_of_the_real_hop(proxies):
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    assert ip_of("10.1.2.3", "1.2.3.4, 198.51.100.1") == "198.51.100.1"


def test_it_skips_a_chain_of_trusted_proxies(proxies):
    assert ip_of("10.1.2.3", "1.2.3.4, 198.51.100.1, 192.0.2.7, 10.9.9.9") == "198.51.100.1"


def test_it_takes_the_left_most_hop_when_every_hop_is_trusted(proxies):
    assert ip_of("10.1.2.3", "10.4.4.4, 192.0.2.7") == "10.4.4.4"


def test_it_stops_at_a_garbled_hop(proxies):
    assert ip_of("10.1.2.3", "198.51.100.1, <script>, 10.5.5.5") == "10.5.5.5"
    assert ip_of("10.1.2.3", "unknown") == "10.1.2.3"


def test_it_uses_the_proxy_address_without_a_header(proxies):
    assert ip_of("10.1.2.3") == "10.1.2.3"
    assert ip_of("10.1.2.3", "") == "10.1.2.3"


def test_it_handles_ipv6(proxies):
    assert ip_of("2001:db8::1", "2001:0db8:0:0::5, 2400:cb00::1") == "2400:cb00::1"
    assert ip_of("2400:cb00::1", "198.51.100.1") == "2400:cb00::1"


def test_it_returns_none_without_a_usable_address(proxies):
    assert ip_of("") is None
    assert ip_of("not-an-ip", "198.51.100.1") is None
