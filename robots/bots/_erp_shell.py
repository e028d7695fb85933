"""The ERP's frame layout: a menu frame on the left, a content frame on the right.

Each menu entry is a link to the screen's address, targeted at the content frame. The
bot opens a screen the same way, by sending the content frame to that address: one
round trip whose answer (status, final address) already tells the screen from an error
page or a lost session, where a click on the menu costs the click's checks, its wait
for the navigation and a wait for the new screen (``bench/bench_erp_entry.py``). The
screens are driven through the content frame's ``Frame``, not a ``FrameLocator``, which
would look the iframe up again before every action.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from robots.bots._screens import ServerError, await_screen

# The menu's entries and the address each one's link opens in the content frame.
MENU = {
    "Enter invoice": "/invoices/new",
    "Enter purchase order": "/po/new",
    "Find document": "/search",
}
WELCOME = "/frames/welcome"  # what the start screen shows in the content frame


class ErpShell:
    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self._frame: Any = None  # the content frame, found once per start screen

    @property
    def landing(self) -> Any:
        return self.page.get_by_title("Content")

    @property
    def content(self) -> Any:
        """The content frame (a ``Frame``) of the start screen now shown."""
        if self._frame is None or self._frame.is_detached():
            self._frame = self._find_content()
        return self._frame

    def _find_content(self) -> Any:
        # The start screen shows its welcome page in the content frame, and only there:
        # the page's frames are known here, no round trip. The welcome page is there by
        # the time the start screen is (see the e2e tests), else the iframe is asked.
        for frame in self.page.main_frame.child_frames:
            if urlsplit(frame.url).path == WELCOME:
                return frame
        handle = self.landing.element_handle()
        try:
            frame = handle.content_frame()
        finally:
            handle.dispose()
        if frame is None:
            raise ServerError("the ERP start screen shows no content frame")
        return frame

    def open_main(self, fresh: bool = False) -> None:
        """Show the start screen (``fresh``: signing in just did)."""
        self._frame = None
        if fresh:
            return
        self.page.goto(f"{self.base_url}/main")
        await_screen(self.page, {"shell": self.landing})

    def open(self, item: str, heading: str) -> Any:
        """Open the screen of menu entry ``item`` in the content frame; return the frame
        once it shows ``heading`` (callers never open the screen that is already shown,
        so the heading cannot be stale)."""
        frame = self.content
        path = MENU[item]
        response = frame.goto(f"{self.base_url}{path}")
        screen = frame.get_by_role("heading", name=heading)
        # The usual answer costs one look: the page asked for, answered and shown. Any
        # other (an error page, the sign-in page of a lost session, a redirect) is
        # waited out and named by await_screen.
        arrived = response is not None and response.ok and urlsplit(response.url).path == path
        if not (arrived and screen.first.is_visible()):
            await_screen(frame, {"screen": screen})
        return frame
