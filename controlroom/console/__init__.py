"""The Control Room's web console, served by ``clerk controlroom`` under ``/console``.

Server-rendered pages (Jinja2, autoescaped) with a few lines of vendored JavaScript for
live refresh and the review screen; nothing is loaded from another origin.

Roles, each including the ones before it: ``viewer`` reads everything; ``operator``
starts and stops runs; ``reviewer`` corrects, approves, retries and rejects failed
items; ``admin`` manages users and tokens. Accounts: ``clerk users add NAME --role R``.

Security: argon2 password hashes; server-side sessions in an HttpOnly, SameSite=Strict
cookie; a CSRF token per session on every form (403 when missing or wrong); log-in
limits per account (backoff) and, looser, per client address (429); CSP ``default-src 'self'``,
``X-Frame-Options: DENY``; robot output (log.html) is served as an attachment under a
sandboxing CSP.

The package's public name is ``install`` (mount the console on a FastAPI app); its
modules are all private (``_auth``, ``_canary``, ``_charts``, ``_dashboard``,
``_history``, ``_page_images``, ``_queries``, ``_routes_*``, ``_settings``, ``_web``):
only ``controlroom`` imports them.

Configuration (``controlroom.console._settings.ConsoleSettings``), all optional:

    CLERK_COOKIE_SECURE          mark cookies Secure: set to 1 when the console is served
                                 over TLS (default off: the default listens on loopback
                                 over plain HTTP, where a Secure cookie would be dropped)
    CLERK_SESSION_SECONDS        session lifetime (default 28800, 8 hours)
    CLERK_REVIEW_LOCK_SECONDS    how long an opened item stays locked to its reviewer (600)
    CLERK_LOGIN_MAX_FAILURES     failed log-ins in a row an account may have before
                                 each attempt must wait (default 5)
    CLERK_LOGIN_BACKOFF_SECONDS  the first such wait, doubled with each further failure
                                 (default 30); a successful log-in resets it
    CLERK_LOGIN_MAX_BACKOFF_SECONDS  the longest wait (default 900)
    CLERK_LOGIN_ADDRESS_MAX_FAILURES failed log-ins of any accounts one client address
                                 may have per window (default 50)
    CLERK_LOGIN_WINDOW_SECONDS   the address window (default 300)
    CLERK_TRUSTED_PROXIES        reverse proxies whose X-Forwarded-For names the client,
                                 addresses or networks, comma separated (default none:
                                 the header is ignored, from loopback too)
    CLERK_INBOX_DIR              folder a run can be started from (``$CLERK_HOME/inbox``);
                                 started files move to ``<inbox>/.started/<run id>/``
    CLERK_PAGE_DPI               resolution of page images on the review screen (110)
    CLERK_DRIFT_PSI_THRESHOLD    PSI at which the dashboard flags classifier drift (0.2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from controlroom.console._settings import ConsoleSettings


def install(app: FastAPI, settings: ConsoleSettings | None = None) -> None:
    """Mount the console's routes, static files, error pages and headers on ``app``."""
    from fastapi.staticfiles import StaticFiles

    from controlroom import _console_models as console_models  # noqa: F401  (registers the tables)
    from controlroom.console import _routes_admin as routes_admin
    from controlroom.console import _routes_auth as routes_auth
    from controlroom.console import _routes_memory as routes_memory
    from controlroom.console import _routes_ops as routes_ops
    from controlroom.console import _routes_review as routes_review
    from controlroom.console._settings import ConsoleSettings
    from controlroom.console._web import PREFIX, STATIC, install_web

    install_web(app, settings or ConsoleSettings())
    app.mount(PREFIX + "/static", StaticFiles(directory=STATIC), name="console-static")
    for module in (routes_auth, routes_ops, routes_review, routes_memory, routes_admin):
        app.include_router(module.router, include_in_schema=False)


__all__ = ["install"]
