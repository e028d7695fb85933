"""The egress guard: a robot process and its browsers reach only allow-listed hosts.

``CLERK_EGRESS_ALLOW``: comma-separated ``host`` or ``host:port`` entries (the Control
Room and the target apps, e.g. ``cr.corp.local:8000,erp.corp.local``); loopback
(``localhost``, 127.0.0.0/8, ::1) is always allowed. Default: loopback only.

Two layers, both installed at robot start:

- Python: ``install()`` wraps ``socket.getaddrinfo``, ``socket.create_connection`` and
  ``socket.socket.connect``/``connect_ex``. A host off the list is refused before its name
  is resolved or a connection is opened, so no packet (not even a DNS query) leaves; the
  caller gets ``ApplicationError("EGRESS_BLOCKED")``.
- Browser: each Playwright context sends every request to hosts off the list to a dead-end
  proxy (``robots.bots.browser``); ``url_allowed`` is the rule both halves share.

Each blocked attempt is logged (host and port, never the full URL, which may carry
data) and counted; ``blocked_counts()`` is what the metrics exporter reads.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from clerk.errors import ApplicationError

log = logging.getLogger("clerk.egress")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class AllowList:
    entries: frozenset[tuple[str, int | None]]

    @classmethod
    def parse(cls, text: str) -> AllowList:
        entries: set[tuple[str, int | None]] = set()
        for raw in text.split(","):
            item = raw.strip().lower()
            if not item:
                continue
            host, sep, port = item.rpartition(":")
            if sep and port.isdigit() and "]" not in port:
                entries.add((host.strip("[]"), int(port)))
            else:
                entries.add((item.strip("[]"), None))
        return cls(frozenset(entries))

    @classmethod
    def from_env(cls) -> AllowList:
        return cls.parse(os.environ.get("CLERK_EGRESS_ALLOW", ""))

    def allows(self, host: str, port: int | None) -> bool:
        host = host.lower().strip("[]")
        if is_loopback(host):
            return True
        return (host, None) in self.entries or (port is not None and (host, port) in self.entries)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


_counts: Counter[str] = Counter()
_counts_lock = threading.Lock()


def record_block(layer: str, host: str, port: int | None) -> None:
    with _counts_lock:
        _counts[layer] += 1
    log.warning("egress blocked (%s): %s:%s is not on CLERK_EGRESS_ALLOW", layer, host, port)


def blocked_counts() -> dict[str, int]:
    """Blocked attempts since start, by layer ("python", "browser")."""
    with _counts_lock:
        return dict(_counts)


def _refuse(host: str, port: int | None) -> ApplicationError:
    record_block("python", host, port)
    return ApplicationError(
        "EGRESS_BLOCKED",
        f"connection to {host}:{port} refused by the egress guard: the host is not on "
        "CLERK_EGRESS_ALLOW; add it there if this robot must reach it",
    )


class _Guard:
    def __init__(self, allow: AllowList) -> None:
        self.allow = allow
        self.resolved: set[str] = set()  # addresses of allowed names, for connect()
        self.originals: dict[str, Any] = {}

    def permits(self, host: str, port: int | None) -> bool:
        return host in self.resolved or self.allow.allows(host, port)

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "localhost")
        number = port if isinstance(port, int) else _service_port(port)
        if not self.allow.allows(name, number):
            raise _refuse(name, number)
        infos = self.originals["getaddrinfo"](host, port, *args, **kwargs)
        self.resolved.update(str(info[4][0]) for info in infos)
        return infos

    def wrap_connect(self, original: Callable[..., Any]) -> Callable[..., Any]:
        guard = self

        def connect(sock: socket.socket, address: Any) -> Any:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                host, port = str(address[0]), int(address[1])
                if not guard.permits(host, port):
                    raise _refuse(host, port)
            return original(sock, address)

        return connect


def _service_port(port: Any) -> int | None:
    if port is None:
        return None
    text = port.decode() if isinstance(port, bytes) else str(port)
    if text.isdigit():
        return int(text)
    return _DEFAULT_PORTS.get(text)


_installed: _Guard | None = None


def install(allow: AllowList | None = None) -> None:
    """Install the Python socket guard for this process (idempotent; a second call
    replaces the allow-list)."""
    global _installed
    allow = allow or AllowList.from_env()
    if _installed is not None:
        _installed.allow = allow
        return
    guard = _Guard(allow)
    guard.originals = {
        "getaddrinfo": socket.getaddrinfo,
        "create_connection": socket.create_connection,
        "connect": socket.socket.connect,
        "connect_ex": socket.socket.connect_ex,
    }
    original_create = socket.create_connection

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        host, port = str(address[0]), int(address[1])
        if not guard.permits(host, port):
            raise _refuse(host, port)
        return original_create(address, *args, **kwargs)

    socket.getaddrinfo = guard.getaddrinfo
    socket.create_connection = create_connection
    socket.socket.connect = guard.wrap_connect(guard.originals["connect"])  # type: ignore[method-assign]
    socket.socket.connect_ex = guard.wrap_connect(guard.originals["connect_ex"])  # type: ignore[method-assign]
    _installed = guard


def uninstall() -> None:
    """Remove the guard (tests only)."""
    global _installed
    if _installed is None:
        return
    originals = _installed.originals
    socket.getaddrinfo = originals["getaddrinfo"]
    socket.create_connection = originals["create_connection"]
    socket.socket.connect = originals["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = originals["connect_ex"]  # type: ignore[method-assign]
    _installed = None


def url_allowed(url: str, allow: AllowList) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port out of range: not a host anyone allowed
        return False
    return allow.allows(parts.hostname or "", port)
