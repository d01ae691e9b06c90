"""Address guard of the downloader: refuse non-public addresses, pin the checked one.

Why: a manifest URL (or a redirect the server chooses) can point at loopback,
the private network or a cloud metadata endpoint (169.254.169.254).  The
downloader would then fetch an internal page and archive and publish it (SSRF).
So every hop of a download is checked here before anything is connected:

1. the scheme must be http or https;
2. the host name is resolved **once** (``getaddrinfo``, or a test resolver);
3. every address it resolves to must be public (:func:`address_class`), unless
   the policy allows non-public addresses or lists the host name as allowed;
4. the connection is then made to that checked address (:class:`PinnedAdapter`),
   so a second DNS answer (DNS rebinding) cannot redirect it.  The Host header,
   TLS SNI and certificate check still use the host *name*.

No I/O beyond name resolution here; :mod:`yusuan.ingest.fetch.download` drives the requests.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``resolver(host, port)`` -> addresses, in connection order
Resolver = Callable[[str, int], Sequence[IPAddress]]

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known NAT64 prefix
SCHEMES = ("http", "https")


class AddressRefused(ValueError):
    """A URL may not be fetched; ``str()`` says why (e.g. '127.0.0.1 is a loopback address')."""


def _plain_class(ip: IPAddress) -> str | None:
    """Class of a non-public address ('a loopback address', ...) or None if public.

    The specific properties come first so the message names the most useful class;
    ``is_global`` is the final catch-all (documentation ranges, 192.0.0.0/24, ...).
    """
    checks: tuple[tuple[bool, str], ...] = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED,
         "a shared address (carrier-grade NAT, 100.64.0.0/10)"),
        (ip.is_private, "a private address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local, "a site-local address"),
        (not ip.is_global, "not a globally routable address"),
    )
    return next((label for hit, label in checks if hit), None)


def _embedded_ipv4(ip: IPAddress) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any.

    ``::ffff:127.0.0.1`` reaches 127.0.0.1 on a dual-stack socket, so it must be
    judged as 127.0.0.1 (Python < 3.13 does not call it loopback).
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return "an IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "a 6to4", ip.sixtofour
    if ip in _NAT64:
        return "a NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_class(ip: IPAddress | str) -> str | None:
    """Why ``ip`` is not public ('a loopback address', ...), or None if it is public."""
    ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        form, inner = embedded
        inner_class = _plain_class(inner)
        if inner_class is not None:
            return f"{form} address of {inner}, {inner_class}"
        if form == "an IPv4-mapped":  # the socket reaches exactly the (public) IPv4 address
            return None
    return _plain_class(ip)


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """All addresses ``getaddrinfo`` gives for ``host`` (literal IPs come back as themselves)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[IPAddress, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]), None)
    return list(seen)


@dataclass(frozen=True)
class Target:
    """One checked hop: the host name, its port and the address to connect to."""

    host: str
    port: int
    address: IPAddress


def check_url(
    url: str,
    resolver: Resolver,
    *,
    allow_private: bool = False,
    allowed_hosts: frozenset[str] = frozenset(),
) -> Target:
    """Check the scheme and every resolved address of ``url``; return the address to pin.

    Raises :class:`AddressRefused` for a refused scheme or address, and ``OSError``
    (``socket.gaierror``) if the name does not resolve.  *All* addresses must pass,
    not just the first: a name answering with one public and one internal address
    is a rebinding trick.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise AddressRefused(f"scheme {scheme or '(none)'!r} is not http or https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise AddressRefused("URL has no host")
    port = parts.port or (443 if scheme == "https" else 80)
    addresses = list(resolver(host, port))
    if not addresses:
        raise OSError(f"{host} resolved to no address")
    if not (allow_private or host in allowed_hosts):
        for ip in addresses:
            label = address_class(ip)
            if label is not None:
                named = "" if str(ip) == host else f" ({host} resolves to it)"
                raise AddressRefused(f"{ip} is {label}{named}")
    return Target(host, port, addresses[0])


# -- connecting to the checked address -------------------------------------------------------


def _cut(sock: socket.socket) -> None:
    """Shut a socket down so a read blocked on it in another thread returns at once."""
    with contextlib.suppress(OSError):  # already closed: the download ended in time
        sock.shutdown(socket.SHUT_RDWR)


class _PinnedConnectionMixin:
    """Open the TCP connection to ``pinned_address`` instead of resolving ``self.host``.

    Only the socket's destination changes: urllib3 keeps using ``self.host`` (the
    name) for the Host header, TLS SNI and certificate hostname matching.  If the
    adapter has a deadline, a watchdog timer shuts the socket down when it passes:
    read timeouts only bound silence, so a server trickling its headers or body
    one byte at a time would otherwise hold the download open indefinitely.
    """

    pinned_address: str
    deadline_at: float | None
    watchdogs: list[threading.Timer]
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        try:
            sock = create_connection(
                (self.pinned_address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                self, f"Connection to {self.pinned_address} timed out. "
                      f"(connect timeout={self.timeout})",
            ) from exc
        except OSError as exc:
            raise NewConnectionError(
                self, f"Failed to establish a new connection: {exc}"
            ) from exc
        if self.deadline_at is not None:
            timer = threading.Timer(max(0.0, self.deadline_at - time.monotonic()), _cut, (sock,))
            timer.daemon = True
            self.watchdogs.append(timer)
            timer.start()
        return sock


class PinnedAdapter(HTTPAdapter):
    """A requests transport adapter whose connections all go to one checked address.

    Made per hop and closed with its response, so a pooled connection is never
    reused for another host or another resolution; closing it also stops the
    deadline watchdogs.  Proxies bypass it (the proxy resolves the name itself):
    see docs/downloads.md.
    """

    def __init__(self, address: IPAddress, deadline_at: float | None = None) -> None:
        self._watchdogs: list[threading.Timer] = []
        attrs = {"pinned_address": str(address), "deadline_at": deadline_at,
                 "watchdogs": self._watchdogs}
        http_conn = type("PinnedHTTPConnection", (_PinnedConnectionMixin, HTTPConnection), attrs)
        https_conn = type("PinnedHTTPSConnection", (_PinnedConnectionMixin, HTTPSConnection),
                          attrs)
        self._pool_classes = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": https_conn}),
        }
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes

    def close(self) -> None:
        for timer in self._watchdogs:
            timer.cancel()
        super().close()
