"""One Debian chromium per process, a fresh context per item, guarded against egress.

Launch facts (STACK.md): never ``playwright install``; start the binary behind the
``/usr/bin/chromium`` wrapper, with background networking off so the browser itself
never tries to reach the internet.

The browser half of the egress guard is the context's proxy: every request goes to a
dead end (a loopback port this process holds bound and never listens on, so the
connection is refused at once), except requests to loopback and to the hosts on the
allow-list, which bypass it. Chromium's own implicit bypasses (link-local addresses such
as 169.254.169.254 among them) are switched off with ``<-loopback>``. A refused request
is logged and counted like every other block (``robots._egress.record_block``).

This replaced a Playwright route: a route makes Chromium pause every request until the
Playwright driver lets it go on, a cost on every navigation of every invoice
(bench/bench_erp_entry.py measures the bot's time per invoice).
"""

from __future__ import annotations

import logging
import re
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

from robots._egress import AllowList, record_block, url_allowed

log = logging.getLogger("clerk.egress")

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Loopback, always allowed (robots._egress.is_loopback), once the implicit rules are gone.
_LOOPBACK_RULES = ("<-loopback>", "localhost", "*.localhost", "localhost.localdomain",
                   "127.0.0.1/8", "[::1]")  # fmt: skip
# An allow-list entry names one host exactly; anything Chromium would read as a pattern
# (a wildcard, a range, a scheme) is left out, so the proxy never allows more than it.
_PLAIN_HOST = re.compile(r"^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|[0-9a-f]*:[0-9a-f:.]*)$")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_REFUSED = ("ERR_PROXY_CONNECTION_FAILED", "ERR_TUNNEL_CONNECTION_FAILED")


def bypass_rules(allow: AllowList) -> str:
    """Chromium proxy-bypass rules: loopback and exactly the allow-listed hosts."""
    rules = list(_LOOPBACK_RULES)
    for host, port in sorted(allow.entries, key=lambda e: (e[0], e[1] or 0)):
        if not _PLAIN_HOST.match(host):
            log.warning("CLERK_EGRESS_ALLOW entry %r is not a host name or address; ignored", host)
            continue
        name = f"[{host}]" if ":" in host else host
        rules.append(name if port is None else f"{name}:{port}")
    return ",".join(rules)


def _count_block(allow: AllowList, request: Any) -> None:
    try:
        failure = request.failure or ""
        if not any(code in failure for code in _REFUSED) or url_allowed(request.url, allow):
            return
        parts = urlsplit(request.url)
        try:
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            port = None
        record_block("browser", parts.hostname or "", port)
    except Exception as exc:  # an event listener must never break the bot's next call
        log.warning("could not record a blocked browser request: %s", exc)


class Browser:
    """The process's browser, started on first use and closed with ``close()``."""

    def __init__(self, headless: bool = True) -> None:
        self.headless = headless
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._dead_end: socket.socket | None = None

    def get(self) -> Any:
        with self._lock:
            if self._browser is None or not self._browser.is_connected():
                from playwright.sync_api import sync_playwright

                if self._playwright is None:
                    self._playwright = sync_playwright().start()
                self._browser = self._playwright.chromium.launch(
                    executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=self.headless
                )
            return self._browser

    def _proxy(self, allow: AllowList) -> dict[str, str]:
        with self._lock:
            if self._dead_end is None:
                # Bound and never listening: a connection to it is refused, and no other
                # process can take the port while this one holds it.
                sink = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sink.bind(("127.0.0.1", 0))
                self._dead_end = sink
            port = self._dead_end.getsockname()[1]
        return {"server": f"http://127.0.0.1:{port}", "bypass": bypass_rules(allow)}

    def new_context(self, timeout_ms: int, allow: AllowList | None = None) -> Any:
        """A fresh context (own cookies, own session) that reaches only loopback and the
        allow-listed hosts (``CLERK_EGRESS_ALLOW`` when ``allow`` is not given)."""
        allow = allow or AllowList.from_env()
        browser = self.get()
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, proxy=self._proxy(allow)
        )
        context.set_default_timeout(timeout_ms)
        context.set_default_navigation_timeout(timeout_ms)
        context.on("requestfailed", lambda request: _count_block(allow, request))
        return context

    def close(self) -> None:
        with self._lock:
            if self._browser is not None:
                self._browser.close()
                self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None
            if self._dead_end is not None:
                self._dead_end.close()
                self._dead_end = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
