"""What a desktop bot does with its hands: RPA.Desktop's keyboard, mouse, clipboard and
screenshots, aimed at the client's windows (``windows.Screen``).

Every wait is for a window by title. A modal "System message" that turns up on the way
is read into the log and closed, then the wait goes on: such a box takes the keyboard,
so it is never typed through. Typing goes to a window that was focused first.
"""

from __future__ import annotations

import logging
from pathlib import Path

from clerk.errors import ApplicationError
from robots.bots.desktop.client import ClientProcess
from robots.bots.desktop.windows import Screen, Window, WindowGone, describe

log = logging.getLogger("clerk.bots.desktop")
SYSTEM_MESSAGE = "System message"


class Desk:
    def __init__(self, client: ClientProcess, timeout_s: float) -> None:
        from RPA.Desktop import Desktop

        self.rpa = Desktop()
        # RPA.Desktop spaces every input 0.1 s apart (its ``Buffer``): a clock standing in
        # for "the application has caught up". Input from XTest reaches the client in
        # order, and this bot waits for each window it needs, so the spacing only cost
        # time (8 of the 9 s an invoice took).
        self.rpa.buffer.default = self.rpa.buffer.interval = 0.0
        self.client = client
        self.screen = Screen(lambda: client.pid)
        self.timeout = timeout_s
        self.step = ""  # what the bot is doing, for messages
        self.notices = 0  # system messages closed

    def release(self) -> None:
        """Close every X connection now, while the display is still there: RPA.Desktop's
        keyboard and mouse (pynput) close theirs only when collected."""
        import gc

        del self.rpa
        gc.collect()
        self.screen.close()

    def wait_for(self, *titles: str) -> tuple[str, Window]:
        """The first of ``titles`` to show (closing system messages on the way)."""

        def check() -> tuple[str, Window] | None:
            notice = self.screen.titled(SYSTEM_MESSAGE)
            if notice is not None:
                self._close_notice(notice)
                return None
            for title in titles:
                window = self.screen.titled(title)
                if window is not None:
                    return title, window
            return None

        try:
            return self.screen.wait(check, self.timeout, self.client.alive)
        except TimeoutError:
            shown = describe(self.screen.windows())
            raise ApplicationError(
                "ERP_TIMEOUT",
                f"the desktop ERP did not show {' or '.join(map(repr, titles))} within "
                f"{self.timeout:.0f} s while {self.step or 'working'}; it shows {shown}",
            ) from None

    def wait_gone(self, window: Window, timeout: float | None = None) -> None:
        def gone() -> bool:
            return all(w.id != window.id for w in self.screen.windows())

        try:
            self.screen.wait(gone, timeout or self.timeout, self.client.alive)
        except TimeoutError:
            raise ApplicationError(
                "ERP_TIMEOUT", f"the window {window.title!r} did not close while {self.step}"
            ) from None

    def close(self, window: Window, key: str) -> None:
        """Close ``window`` with ``key``, pressed again (up to three times) if the window
        stays: a key sent to a window only just shown can be lost."""
        for attempt in range(3):
            self.focus(window)
            self.keys(key)
            try:
                self.wait_gone(window, None if attempt == 2 else min(self.timeout, 2.0))
                return
            except ApplicationError:
                if attempt == 2:
                    raise

    def _close_notice(self, notice: Window) -> None:
        self.screen.focus(notice)
        try:
            text = " ".join(self.copy_text(select_all=False).split())
        except ApplicationError:  # the notice is closed all the same
            text = "(its text could not be copied)"
        log.info("closing a system message of the desktop ERP: %s", text)
        self.close(notice, "enter")
        self.notices += 1

    def focus(self, window: Window) -> None:
        self.screen.focus(window)

    def keys(self, *keys: str) -> None:
        self.rpa.press_keys(*keys)

    def type(self, text: str) -> None:
        """Type ``text``; text beyond ASCII is pasted instead. XTest types such a
        character through a keycode remapped for it, and a client that reads the key
        after the next remapping shows the next character (seen: "Søn" typed as "Sün")."""
        if text.isascii():
            self.rpa.type_text(text)
        else:
            self.paste(text)

    def paste(self, text: str) -> None:
        """Paste ``text`` (Ctrl+V) into the focused field, waiting until the client took it."""
        self.screen.offer_clipboard(text)
        before = self.screen.served
        self.rpa.press_keys("ctrl", "v")
        try:
            self.screen.wait(lambda: self.screen.served > before, self.timeout, self.client.alive)
        except TimeoutError:
            raise ApplicationError(
                "ERP_TIMEOUT", f"the desktop ERP did not take the pasted text while {self.step}"
            ) from None

    def click(self, x: int, y: int) -> None:
        # move, then click where the pointer is: ``click(locator)`` would add 50 ms of sleep
        self.rpa.move_mouse(f"point:{x},{y}")
        self.rpa.click()

    def copy_text(self, select_all: bool = True) -> str:
        """What the focused widget copies with (Ctrl+A and) Ctrl+C: the wait ends when the
        client takes the clipboard (an X event), so an older copy is never read."""
        self.screen.take_clipboard()
        before = self.screen.copies
        if select_all:
            self.rpa.press_keys("ctrl", "a")
        self.rpa.press_keys("ctrl", "c")
        try:
            self.screen.wait(lambda: self.screen.copies > before, self.timeout, self.client.alive)
        except TimeoutError:
            raise ApplicationError(
                "ERP_TIMEOUT", f"nothing was copied from the desktop ERP while {self.step}"
            ) from None
        return str(self.rpa.get_clipboard_value())

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rpa.take_screenshot(str(path))
        return path


__all__ = ["Desk", "WindowGone"]
