"""What a desktop bot does with its hands: keyboard and mouse as XTest events
(``_xtest.Hands``), the clipboard and the windows on the bot's X connection
(``_windows.Screen``), RPA.Desktop's screenshots; all aimed at the client's windows.

Every wait is for a window by title. A modal "System message" that turns up on the way
is read into the log and closed, then the wait goes on: such a box takes the keyboard,
so it is never typed through. Typing goes to a window that was focused first. Input is
sent to the X server at the end of each call, or of a ``batch()`` of them (a form).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clerk.errors import ApplicationError
from robots.bots.desktop._client import ClientProcess
from robots.bots.desktop._windows import Screen, Window, WindowGone, describe
from robots.bots.desktop._xtest import Hands

log = logging.getLogger("clerk.bots.desktop")
SYSTEM_MESSAGE = "System message"
MOVE_S = 1.0  # a client moves its focus to a new window in milliseconds
CONFIRM_S = 0.3  # a field read back copies in milliseconds; nothing in this long: empty


class Desk:
    def __init__(self, client: ClientProcess, timeout_s: float) -> None:
        from RPA.Desktop import Desktop

        self.rpa = Desktop()
        # RPA.Desktop spaces every input 0.1 s apart (its ``Buffer``): a clock standing in
        # for "the application has caught up". Input from XTest reaches the client in
        # order, and this bot waits for each window it needs, so the spacing only cost
        # time (most of an invoice's: bench/bench_desktop_entry.py).
        self.rpa.buffer.default = self.rpa.buffer.interval = 0.0
        self.client = client
        self.screen = Screen(lambda: client.pid)
        self.hands = Hands(self.screen.display)
        self._batched = False
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
        """The first of ``titles`` to show, ready for input (``Screen.ready``), closing
        system messages on the way."""

        def check() -> tuple[str, Window] | None:
            found = self.screen.titled(SYSTEM_MESSAGE, *titles)
            if found is None or not self.screen.ready(found[1]):
                return None
            if found[0] == SYSTEM_MESSAGE:
                self._close_notice(found[1])
                return None
            return found

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
        self.take(notice)
        try:  # for the log only: not worth a long wait
            text = " ".join(self.copy_text(select_all=False, timeout=CONFIRM_S).split())
        except ApplicationError:  # the notice is closed all the same
            text = "(its text could not be copied)"
        log.info("closing a system message of the desktop ERP: %s", text)
        self.close(notice, "enter")
        self.notices += 1
        # The window the message stood before opens now: if the client has the focus
        # (its main window, given back here), it moves it there itself (``take``).
        main = next((w for w in self.screen.windows() if w.id != notice.id), None)
        if main is not None and self.screen.focus_owner() is None:
            self.focus(main)

    def focus(self, window: Window) -> None:
        self.send()
        self.screen.focus(window)

    def take(self, window: Window) -> None:
        """The keyboard for a window the client has just shown. A client that has the
        focus moves it to its new window itself, once the window's first field is
        ready for keys (Tk: when that field becomes visible); keys sent before are
        lost or land elsewhere (seen: "DE811569869" searched as "69869", three times
        in a row). So the bot waits for that move. When the client does not have the
        focus (its first window, or one opened as a system message closed), or has not
        moved it within ``MOVE_S`` (it decided where its focus goes before it got
        it), the bot gives it; what is typed then is checked (the search's echo, the
        sign-in's read-back, the form's clicks)."""
        client = {w.id for w in self.screen.windows()}
        since = time.monotonic()

        def given() -> bool:
            owner = self.screen.focus_owner()
            if owner == window.id:
                return True
            if owner in client:
                if time.monotonic() - since < MOVE_S:
                    return False  # the client still moves it
                log.info("the desktop ERP kept its focus off %r; giving it", window.title)
            self.focus(window)
            return True

        self.screen.wait(given, self.timeout, self.client.alive)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Input of the calls in the block goes to the X server at its end, at once."""
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            self.send()

    def send(self) -> None:
        self.hands.send()

    def _sent(self) -> None:
        if not self._batched:
            self.send()

    def keys(self, *keys: str) -> None:
        self.hands.keys(*keys)
        self._sent()

    def type(self, text: str) -> None:
        """Type ``text``; text beyond ASCII is pasted instead. XTest types such a
        character through a keycode remapped for it, and a client that reads the key
        after the next remapping shows the next character (seen: "Søn" typed as "Sün")."""
        if self.hands.typeable(text):
            self.hands.text(text)
            self._sent()
        else:
            self.paste(text)

    def paste(self, text: str) -> None:
        """Paste ``text`` (Ctrl+V) into the focused field, waiting until the client took it."""
        clipboard = self.screen.clipboard
        self.send()
        clipboard.offer(text)
        before = clipboard.served
        self.hands.keys("ctrl", "v")
        self.send()
        try:
            self.screen.wait(lambda: clipboard.served > before, self.timeout, self.client.alive)
        except TimeoutError:
            raise ApplicationError(
                "ERP_TIMEOUT", f"the desktop ERP did not take the pasted text while {self.step}"
            ) from None

    def click(self, x: int, y: int) -> None:
        self.hands.click(x, y)
        self._sent()

    def type_confirmed(self, text: str, select_all: tuple[str, ...]) -> None:
        """Type ``text`` into the focused field and read it back (``select_all``, the
        client's key for it, then Ctrl+C), typing it again over what is there until it
        reads back right. A fresh client drops keys typed in the first milliseconds
        after its first window shows (enough to fail some sign-ins), and nothing
        on the display tells when it is ready; what it copies does."""
        deadline = time.monotonic() + self.timeout
        while True:
            self.keys(*select_all)
            self.type(text)  # over the selection: it replaces whatever got there
            self.keys(*select_all)
            try:
                if self.copy_text(select_all=False, timeout=CONFIRM_S) == text:
                    return
            except ApplicationError:
                pass  # nothing to copy: every key was lost
            if time.monotonic() > deadline:
                raise ApplicationError(
                    "ERP_TIMEOUT", f"the desktop ERP did not take what was typed while {self.step}"
                )
            log.info("the desktop ERP lost keys typed while %s; typing again", self.step)

    def copy_text(self, select_all: bool = True, timeout: float | None = None) -> str:
        """What the focused widget copies with (Ctrl+A and) Ctrl+C: the wait ends when the
        client takes the clipboard (an X event), so an older copy is never read; then
        the client is asked for the text (its answer is an event too)."""
        clipboard = self.screen.clipboard
        self.send()
        clipboard.take()
        before = clipboard.copies
        if select_all:
            self.hands.keys("ctrl", "a")
        self.hands.keys("ctrl", "c")
        self.send()
        try:
            self.screen.wait(
                lambda: clipboard.copies > before, timeout or self.timeout, self.client.alive
            )
            clipboard.request()
            self.screen.wait(lambda: clipboard.answer is not None, self.timeout, self.client.alive)
        except TimeoutError:
            raise ApplicationError(
                "ERP_TIMEOUT", f"nothing was copied from the desktop ERP while {self.step}"
            ) from None
        text = clipboard.text()
        if text is None:
            raise ApplicationError(
                "ERP_TIMEOUT", f"the desktop ERP copied no text while {self.step}"
            )
        return text

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.rpa.take_screenshot(str(path))
        return path


__all__ = ["Desk", "WindowGone"]
