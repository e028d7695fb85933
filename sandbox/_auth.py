"""Login and logout, shared by both apps. The login form carries a CSRF token bound to a
pre-login session; signing in replaces that session with a new one (no fixation)."""

from __future__ import annotations

import hashlib
import hmac
import os

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sandbox._web import LegacyApp
from sandbox.settings import SandboxSettings


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 50_000)


def login_routes(app: LegacyApp, settings: SandboxSettings, home: str) -> list[Route]:
    salt = os.urandom(16)
    stored = _hash(settings.password, salt)

    def login_page(request: Request, error: str = "", status: int = 200) -> Response:
        session = app.sessions.get(request) or app.sessions.new()
        response = app.render(
            request,
            "login.html",
            status_code=status,
            csrf=session.csrf,
            error=error,
            expired=request.query_params.get("expired") == "1",
        )
        response.set_cookie(app.sessions.cookie, session.sid, httponly=True, samesite="lax")
        return response

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return login_page(request)
        session = app.sessions.get(request)
        form = await request.form()
        if session is None or not app.csrf_ok(session, form):
            return login_page(request, "Your login form has expired. Please sign in again.", 403)
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")
        good_user = hmac.compare_digest(username.encode(), settings.username.encode())
        if not (good_user and hmac.compare_digest(_hash(password, salt), stored)):
            return login_page(request, "Invalid user name or password.", 401)
        app.sessions.drop(session)
        signed_in = app.sessions.new(user=username)
        response = RedirectResponse(home, status_code=303)
        response.set_cookie(app.sessions.cookie, signed_in.sid, httponly=True, samesite="lax")
        return response

    async def logout(request: Request) -> Response:
        session = app.sessions.get(request)
        if session is not None:
            app.sessions.drop(session)
        return RedirectResponse("/login", status_code=303)

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout),
    ]
