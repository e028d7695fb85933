"""The ERP's frame layout: a menu frame on the left, a content frame on the right."""

from __future__ import annotations

from typing import Any

from robots.bots._screens import await_screen


class ErpShell:
    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.menu = page.get_by_title("Menu").content_frame
        self.content = page.get_by_title("Content").content_frame
        # The menu frame is loaded once with the shell and its links only ever change the
        # content frame: once it has shown its links, it needs no second look.
        self._menu_shown = False

    @property
    def landing(self) -> Any:
        return self.page.get_by_title("Content")

    def open_main(self, fresh: bool = False) -> None:
        """Show the start screen (``fresh``: signing in just did)."""
        self._menu_shown = False
        if fresh:
            return
        self.page.goto(f"{self.base_url}/main")
        await_screen(self.page, {"shell": self.landing})

    def open(self, item: str, heading: str) -> Any:
        """Follow a menu entry; return the content frame once it shows ``heading`` (callers
        never open the screen that is already shown, so the heading cannot be stale)."""
        link = self.menu.get_by_role("link", name=item)
        if not self._menu_shown:  # a menu frame that failed to load shows an error page
            await_screen(self.menu, {"menu": link})
            self._menu_shown = True
        link.click()
        await_screen(self.content, {"screen": self.content.get_by_role("heading", name=heading)})
        return self.content
