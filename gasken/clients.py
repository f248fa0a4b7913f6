"""The address of the client behind a request, the same for the rate limit, the login
lockout and the access log."""

import ipaddress

from django.conf import settings


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address):
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request):
    """REMOTE_ADDR, or, when that is a trusted proxy, the right-most X-Forwarded-For hop that
    is not a trusted proxy. Hops left of it were written by the client and prove nothing.
    None when there is no usable address."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    address = remote
    if _is_trusted(remote):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            hop_address = _address(hop)
            if hop_address is None:
                # A garbled hop: the proxy that passed it on is the last address we know.
                break
            address = hop_address
            if not _is_trusted(hop_address):
                break
    return str(address)
