"""What both legacy apps share: server-side sessions with a CSRF token, the fault
middleware, the admin endpoints (faults, ledger) and template rendering."""

from __future__ import annotations

import asyncio
import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox.faults import Faults, FaultState

TEMPLATES = Path(__file__).parent / "templates"
# Paths that faults never touch: the test harness must always reach them.
_EXEMPT = ("/admin/", "/ledger", "/favicon.ico", "/static/")


@dataclass
class Session:
    sid: str
    csrf: str
    user: str | None = None
    last_seen: float = field(default_factory=time.monotonic)


class Sessions:
    """In-memory sessions, as the old app servers kept them."""

    def __init__(self, cookie: str, idle_seconds: Callable[[], float]) -> None:
        self.cookie = cookie
        self._idle = idle_seconds
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, request: Request) -> Session | None:
        sid = request.cookies.get(self.cookie)
        if not sid:
            return None
        with self._lock:
            session = self._by_id.get(sid)
            if session is None:
                return None
            now = time.monotonic()
            if now - session.last_seen > self._idle():
                del self._by_id[sid]
                return None
            session.last_seen = now
            return session

    def new(self, user: str | None = None) -> Session:
        session = Session(sid=secrets.token_urlsafe(24), csrf=secrets.token_urlsafe(24), user=user)
        with self._lock:
            if len(self._by_id) > 2000:  # robots sign in per item: forget idle sessions
                cutoff = time.monotonic() - self._idle()
                for sid in [k for k, v in self._by_id.items() if v.last_seen < cutoff]:
                    del self._by_id[sid]
            self._by_id[session.sid] = session
        return session

    def drop(self, session: Session) -> None:
        with self._lock:
            self._by_id.pop(session.sid, None)


class LegacyApp:
    """Per-app state shared by the routes: templates, sessions, faults, settings."""

    def __init__(self, name: str, cookie: str, admin_token: str, idle_seconds: float) -> None:
        self.name = name
        self.admin_token = admin_token
        self.faults = FaultState()
        self.default_idle = idle_seconds
        self.sessions = Sessions(cookie, self._idle_seconds)
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
        )

    def _idle_seconds(self) -> float:
        return self.faults.faults.session_idle_seconds or self.default_idle

    @property
    def layout(self) -> int:
        return self.faults.faults.layout

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        faults = self.faults.faults
        popup_delay = None
        if self.faults.draw(faults.popup_rate):
            popup_delay = int(self.faults.uniform(0, 300))
        html = self.env.get_template(f"{self.name}/{template}").render(
            request=request, layout=self.layout, popup_delay=popup_delay, **context
        )
        return HTMLResponse(html, status_code=status_code)

    def authenticated(self, request: Request) -> Session | None:
        """The signed-in session, or None when there is none or a fault ended it early."""
        session = self.sessions.get(request)
        if session is None or session.user is None:
            return None
        if self.faults.draw(self.faults.faults.session_expiry_rate):
            self.sessions.drop(session)
            return None
        return session

    def login_redirect(self, request: Request) -> RedirectResponse:
        """To the sign-in page; it says "expired" when the browser had a session."""
        expired = "?expired=1" if request.cookies.get(self.sessions.cookie) else ""
        return RedirectResponse(f"/login{expired}", status_code=303)

    def csrf_ok(self, session: Session, form: Any) -> bool:
        token = str(form.get("csrf_token") or "")
        return hmac.compare_digest(token.encode(), session.csrf.encode())

    def csrf_refused(self) -> HTMLResponse:
        return HTMLResponse(
            "<h1>403 Forbidden</h1><p>The form token is missing or invalid. "
            "Reload the page and try again.</p>",
            status_code=403,
        )

    def admin_ok(self, request: Request) -> bool:
        token = request.headers.get("X-Admin-Token", "")
        return hmac.compare_digest(token.encode(), self.admin_token.encode())

    def middleware(self) -> Callable[..., Any]:
        state = self

        class FaultMiddleware(BaseHTTPMiddleware):
            async def dispatch(
                self, request: Request, call_next: RequestResponseEndpoint
            ) -> Response:
                path = request.url.path
                if path.startswith(_EXEMPT):
                    return await call_next(request)
                faults = state.faults.faults
                if faults.latency_ms:
                    await asyncio.sleep(faults.latency_ms / 1000)
                if state.faults.draw(faults.error_rate):
                    return _server_error()
                response = await call_next(request)
                saved = request.method == "POST" and response.status_code == 303
                if saved and path != "/login" and state.faults.draw(faults.lost_reply_rate):
                    return _server_error()  # the change is committed; its answer is lost
                response.headers.setdefault("Cache-Control", "no-store")
                return response

        return FaultMiddleware

    def admin_routes(self, ledger: Callable[[], dict[str, Any]]) -> list[Route]:
        async def faults_endpoint(request: Request) -> Response:
            if not self.admin_ok(request):
                return JSONResponse({"detail": "X-Admin-Token missing or wrong"}, 401)
            if request.method == "PUT":
                try:
                    self.faults.set(Faults(**(await request.json())))
                except (ValidationError, TypeError, ValueError) as exc:
                    return JSONResponse({"detail": str(exc)}, 422)
            return JSONResponse(self.faults.faults.model_dump())

        async def ledger_endpoint(request: Request) -> Response:
            if not self.admin_ok(request):
                return JSONResponse({"detail": "X-Admin-Token missing or wrong"}, 401)
            return JSONResponse(ledger())

        return [
            Route("/admin/faults", faults_endpoint, methods=["GET", "PUT"]),
            Route("/ledger", ledger_endpoint, methods=["GET"]),
        ]


def _server_error() -> HTMLResponse:
    return HTMLResponse(
        "<html><head><title>500 Internal Server Error</title></head><body>"
        '<h1 data-testid="server-error">Internal Server Error</h1>'
        "<p>The server encountered an internal error. Please contact your "
        "system administrator.</p></body></html>",
        status_code=500,
    )


Handler = Callable[[Request], Awaitable[Response]]
