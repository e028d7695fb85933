"""Waiting for whichever screen a step leads to, without sleeping.

Every step of a legacy app can end on the screen it meant to reach, on a server error
page, on a refused form token, or (when the session died) on the sign-in page. One
``or_`` locator waits for all of them at once; the caller learns which one came.
"""

from __future__ import annotations

from typing import Any


class SessionLost(Exception):
    """The app showed its sign-in page in the middle of work."""


class ServerError(Exception):
    """The app answered a step with an error page (5xx or a refused form)."""


def _with_errors(scope: Any, expected: dict[str, Any], session: bool) -> tuple[dict[str, Any], Any]:
    named = dict(expected)
    named["_server"] = scope.get_by_test_id("server-error")
    named["_forbidden"] = scope.get_by_role("heading", name="403 Forbidden")
    if session:
        named["_login"] = scope.get_by_role("heading", name="Sign in")
    locators = list(named.values())
    combined = locators[0]
    for locator in locators[1:]:
        combined = combined.or_(locator)
    return named, combined


def wait_for_screen(scope: Any, expected: dict[str, Any], *, session: bool = True) -> None:
    """Wait as ``await_screen`` does, without looking which screen came: for a caller
    whose next read tells (and who calls ``await_screen`` when the read finds nothing)."""
    _with_errors(scope, expected, session)[1].first.wait_for(state="visible")


def await_screen(scope: Any, expected: dict[str, Any], *, session: bool = True) -> str:
    """Wait until one of ``expected`` (name -> locator in ``scope``, a Page or
    FrameLocator) is visible; return its name. Raises ``ServerError`` on an error page
    and, if ``session``, ``SessionLost`` on the sign-in page."""
    named, combined = _with_errors(scope, expected, session)
    for _ in range(5):  # the screen may change between the wait and the look
        combined.first.wait_for(state="visible")
        for name, locator in named.items():
            if locator.first.is_visible():
                if name == "_login":
                    raise SessionLost()
                if name == "_server":
                    raise ServerError("the application answered with a server error page")
                if name == "_forbidden":
                    raise ServerError("the application refused the form (403, form token)")
                return name
    raise ServerError("the screen kept changing while the bot waited for it")
