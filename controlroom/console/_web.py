"""What every console route shares: templates, the logged-in user, roles, CSRF, errors,
and the security headers on every console response.

Templates are Jinja2 with autoescape on for every template and string: document data is
never marked safe, so a field holding ``<script>`` renders as text. Pages carry no
inline script or style, so the CSP can be ``default-src 'self'`` without exceptions.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from controlroom.console import _auth as auth
from controlroom.console._settings import ConsoleSettings, IPNetwork
from controlroom.db import READ_ONLY_OPTION, run_alone
from controlroom.services.processes import ensure_workspace
from controlroom.services.validation import MAX_INT32

PREFIX = "/console"
SESSION_COOKIE = "clerk_session"
LOGIN_CSRF_COOKIE = "clerk_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Served robot output (log.html) may hold script: it must never run in our origin.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
T = TypeVar("T")


class PageError(Exception):
    """Rendered as an HTML error page with ``status``."""

    def __init__(self, status: int, message: str, title: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title or {403: "Not allowed", 404: "Not found", 429: "Slow down"}.get(
            status, "Something went wrong"
        )


class NotLoggedIn(Exception):
    pass


def page_number(page: int) -> int:
    """A listing's ``page`` query parameter: 1 and up; past ``MAX_INT32`` it is a 400
    (its offset would overflow the database's integers)."""
    if page > MAX_INT32:
        raise PageError(400, f"page {page} does not exist: pages go up to {MAX_INT32}")
    return max(page, 1)


def _format_time(value: datetime | None, with_date: bool = True) -> str:
    if value is None:
        return "—"
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC" if with_date else "%H:%M UTC")


def _format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _age(value: datetime | None) -> str:
    if value is None:
        return "—"
    return _format_duration((datetime.now(UTC) - value).total_seconds())


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["time"] = _format_time
    env.filters["duration"] = _format_duration
    env.filters["age"] = _age
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    env.globals["prefix"] = PREFIX
    return env


def settings_of(request: Request) -> ConsoleSettings:
    value: ConsoleSettings = request.app.state.console_settings
    return value


def sessions_of(request: Request) -> sessionmaker[Session]:
    value: sessionmaker[Session] = request.app.state.sessionmaker
    return value


async def in_tx(request: Request, work: Callable[[Session], T]) -> T:
    """``work`` in one transaction in a worker thread, run again on a deadlock or "database
    is locked" (``controlroom.db.run_alone``, as the API): it must only touch the database."""
    return await run_in_threadpool(run_alone, sessions_of(request), work)


async def read_only(request: Request, work: Callable[[Session], T]) -> T:
    """A read in its own session without BEGIN IMMEDIATE's write lock on SQLite."""
    factory = sessions_of(request)

    def run() -> T:
        # A deferred BEGIN on SQLite (no write lock: pages never queue behind writers);
        # close() then ends it without expiring loaded rows, as rollback() would.
        with factory() as session:
            session.connection(execution_options={READ_ONLY_OPTION: True})
            return work(session)

    return await run_in_threadpool(run)


async def workspace_id(request: Request) -> str:
    cached: str | None = getattr(request.app.state, "console_workspace_id", None)
    if cached is None:
        name = request.app.state.settings.workspace
        cached = await in_tx(request, lambda s: ensure_workspace(s, name).id)
        request.app.state.console_workspace_id = cached
    return cached


def client_address(request: Request) -> str:
    """The client's address: the peer's, unless the peer is one of
    ``CLERK_TRUSTED_PROXIES``; then the right-most X-Forwarded-For entry that is not a
    trusted proxy (entries further left were written by whoever sent the request)."""
    peer = request.client.host if request.client else "unknown"
    proxies = settings_of(request).proxies()
    if not proxies or not _within(peer, proxies):
        return peer
    forwarded = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ]
    for hop in reversed(forwarded):
        inside = _within(hop, proxies)
        if inside is None:  # not an address: nothing left of it can be believed either
            return peer
        if not inside:
            return hop
    return peer


def _within(address: str, networks: tuple[IPNetwork, ...]) -> bool | None:
    """Whether ``address`` is in one of ``networks``; None if it is no IP address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    return any(ip in network for network in networks)


async def current_user(request: Request) -> auth.SessionUser:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise NotLoggedIn()
    who = await read_only(request, lambda s: auth.resolve_session(s, secret))
    if who is None:
        raise NotLoggedIn()
    request.state.user = who
    return who


def require_role(who: auth.SessionUser, role: str, action: str) -> None:
    if not who.can(role):
        raise PageError(
            403,
            f"{action} needs the {role} role; you are signed in as {who.username} ({who.role}). "
            "Ask an administrator to change your role.",
        )


def check_csrf(request: Request, who: auth.SessionUser, submitted: str | None) -> None:
    token = submitted or request.headers.get(CSRF_HEADER, "")
    if not token or not secrets.compare_digest(token, who.csrf_token):
        raise PageError(
            403,
            "the form's security token is missing or out of date; reload the page and try again",
            "Form expired",
        )


async def acting_user(request: Request, role: str, action: str) -> auth.SessionUser:
    """The logged-in user of a state-changing request: CSRF checked, then the role."""
    who = await current_user(request)
    form = await request.form()
    token = form.get(CSRF_FIELD)
    try:
        check_csrf(request, who, token if isinstance(token, str) else None)
        require_role(who, role, action)
    except PageError:
        await form.close()  # uploaded files spooled to disk go away with the refusal
        raise
    return who


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    env: Environment = request.app.state.console_templates
    who = getattr(request.state, "user", None)
    html = env.get_template(template).render(
        {
            "user": who,
            "page": "",
            "request_path": request.url.path,
            "flash": _read_flash(request),
            **context,
        }
    )
    return HTMLResponse(html, status_code=status)


def _flash_signer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.signing_key, salt="clerk-console-flash")


def _read_flash(request: Request) -> str:
    # Signed, so a crafted link cannot make the console display words of its choosing.
    token = request.query_params.get("flash", "")
    if not token:
        return ""
    try:
        return str(_flash_signer(request).loads(token))[:400]
    except BadSignature:
        return ""


def redirect(request: Request, url: str, flash: str = "") -> RedirectResponse:
    if flash:
        token = _flash_signer(request).dumps(flash[:400])
        url += ("&" if "?" in url else "?") + "flash=" + quote(str(token), safe="")
    return RedirectResponse(url, status_code=303)


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    response = render(
        request, "error.html", {"title": exc.title, "message": exc.message}, status=exc.status
    )
    if exc.status == 429:
        response.headers["Retry-After"] = "60"
    return response


async def _not_logged_in(request: Request, exc: Exception) -> Response:
    if request.method == "GET" and "x-partial" not in request.headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{PREFIX}/login?next={quote(target, safe='')}", status_code=303)
    return render(
        request,
        "error.html",
        {"title": "Signed out", "message": "your session has ended; sign in again"},
        status=401,
    )


class SecurityHeaders:
    """Strict headers on every console response (other routes keep their own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == "/" or path.startswith(PREFIX)):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"cache-control", b"no-store"),
                ]
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k not in existing],
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_web(app: FastAPI, settings: ConsoleSettings) -> None:
    app.state.console_settings = settings
    app.state.console_templates = make_environment()
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(NotLoggedIn, _not_logged_in)
    app.add_middleware(SecurityHeaders)
