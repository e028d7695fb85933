"""Log-in, log-out and the root redirect."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from controlroom.console import _auth as auth
from controlroom.console._settings import ConsoleSettings
from controlroom.console._web import (
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    acting_user,
    client_address,
    in_tx,
    redirect,
    render,
    settings_of,
)
from controlroom.states import UserRole

router = APIRouter()


def login_limits(settings: ConsoleSettings) -> auth.LoginLimits:
    return auth.LoginLimits(
        max_failures=settings.login_max_failures,
        backoff_seconds=settings.login_backoff_seconds,
        max_backoff_seconds=settings.login_max_backoff_seconds,
        address_max_failures=settings.login_address_max_failures,
        window_seconds=settings.login_window_seconds,
    )


def _safe_next(target: str) -> str:
    # Only paths inside the console: never an open redirect to another site.
    if target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


def _login_page(
    request: Request, next_url: str, error: str = "", status: int = 200, username: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"csrf": token, "next": _safe_next(next_url), "error": error, "username": username},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings_of(request).cookie_secure,
        path=PREFIX + "/login",
        max_age=3600,
    )
    return response


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse(PREFIX + "/", status_code=303)


@router.get(PREFIX + "/login")
async def login_form(request: Request, next: str = PREFIX + "/") -> Response:
    return _login_page(request, next)


@router.post(PREFIX + "/login")
async def login(
    request: Request,
    username: str = Form(default="", max_length=200),
    password: str = Form(default="", max_length=1000),
    csrf_token: str = Form(default=""),
    next: str = Form(default=PREFIX + "/"),
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf_token or not cookie or not secrets.compare_digest(csrf_token, cookie):
        return _login_page(
            request,
            next,
            "The sign-in form expired; please try again.",
            status=403,
            username=username,
        )
    settings = settings_of(request)
    address = client_address(request)
    username = username.strip()

    def work(session: Session) -> str | None:
        auth.check_rate(session, username, address, login_limits(settings))
        try:
            user = auth.verify_login(session, username, password)
        except auth.LoginRefused:
            auth.record_attempt(session, username, address, succeeded=False)
            return None
        auth.record_attempt(session, username, address, succeeded=True)
        return auth.open_session(session, user, seconds=settings.session_seconds, address=address)

    try:
        secret = await in_tx(request, work)
    except auth.RateLimited as exc:
        response = _login_page(
            request, next, str(exc).capitalize() + ".", status=429, username=username
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if secret is None:
        return _login_page(
            request, next, "Wrong username or password.", status=401, username=username
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path=PREFIX,
        max_age=settings.session_seconds,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX + "/login")
    return response


@router.post(PREFIX + "/logout")
async def logout(request: Request) -> Response:
    who = await acting_user(request, UserRole.VIEWER.value, "signing out")
    await in_tx(request, lambda s: auth.close_session(s, who))
    response = redirect(request, PREFIX + "/login", "Signed out.")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response
