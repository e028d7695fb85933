"""The sign-in screen (the ERP and the CMS share the same old login module)."""

from __future__ import annotations

from typing import Any

from clerk.errors import ApplicationError
from robots.bots._screens import ServerError, SessionLost, await_screen
from robots.credentials import Credential


class LoginPage:
    def __init__(self, page: Any, base_url: str, system: str, landing: Any) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.system = system
        self.landing = landing  # a locator that only the signed-in start screen has

    def sign_in(self, credential: Credential) -> None:
        page = self.page
        response = page.goto(f"{self.base_url}/login")
        if response is not None and response.status >= 500:
            raise ServerError(f"the sign-in page answered HTTP {response.status}")
        page.get_by_label("User name").fill(credential.username)
        page.get_by_label("Password").fill(credential.password)
        page.get_by_role("button", name="Sign in").click()
        refused = page.get_by_role("alert")
        if await_screen(page, {"in": self.landing, "refused": refused}, session=False) == "in":
            return
        reason = refused.first.inner_text().strip()
        if "session has expired" in reason:
            raise SessionLost()  # signed in, then thrown out at once
        raise ApplicationError(
            "LOGIN_FAILED",
            f"{self.system} refused user {credential.username!r}: {reason} Store the right "
            f"password with `clerk credentials set {self.system}`.",
        )
