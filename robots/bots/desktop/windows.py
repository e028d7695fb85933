"""The desktop client's windows on the X display, through python-xlib (pynput's, so
RPA.Desktop's own dependency): found by title among the windows of one process
(``_NET_WM_PID``), focused, and waited for.

Waiting is on X events, not on a clock: the root window reports every window mapped,
unmapped or destroyed, each window of the client reports its title changing, and XFixes
reports the clipboard changing hands, so a wait wakes when the screen (or the clipboard)
changes and checks its condition again. The short select()
timeout only bounds how late a missed event is noticed.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    id: int
    title: str
    left: int
    top: int
    width: int
    height: int

    @property
    def region(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.left + self.width, self.top + self.height)


class WindowGone(Exception):
    """The window (or the whole client) went away while the bot worked in it."""


class Screen:
    """The windows of the process ``pid()`` on ``$DISPLAY``."""

    def __init__(self, pid: Callable[[], int | None]) -> None:
        from Xlib import X
        from Xlib.display import Display

        self._pid = pid
        self._x = X
        self.display = Display()
        self.root = self.display.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self._pid_atom = self.display.intern_atom("_NET_WM_PID")
        self._watched: set[int] = set()
        # XFixes tells whenever the clipboard gets an owner: a copy is waited for too.
        self.display.xfixes_query_version()
        self.display.xfixes_select_selection_input(
            self.root,
            self.display.intern_atom("CLIPBOARD"),
            1,  # SetSelectionOwnerNotifyMask
        )
        self.copies = 0  # times the clipboard went to another owner than us
        self._clipboard = self.display.intern_atom("CLIPBOARD")
        self._own = self.root.create_window(0, 0, 1, 1, 0, 0)  # never mapped
        self._utf8 = self.display.intern_atom("UTF8_STRING")
        self._targets = self.display.intern_atom("TARGETS")
        self._net_name = self.display.intern_atom("_NET_WM_NAME")
        self._offer: bytes | None = None  # what we paste, served to the client on request
        self.served = 0  # times the client took it

    def offer_clipboard(self, text: str) -> None:
        """Own the clipboard with ``text``: the client's paste asks us for it (served in
        ``wait``, as an X event), so a paste is waited for like any other change."""
        self._offer = text.encode()
        self.take_clipboard()

    def take_clipboard(self) -> None:
        """Own the clipboard for a moment: an application that owned it already (Tk) only
        announces a new owner (XFixes) when it takes the clipboard back."""
        self._own.set_selection_owner(self._clipboard, self._x.CurrentTime)
        self.display.sync()

    def close(self) -> None:
        self.display.close()

    def windows(self) -> list[Window]:
        """The client's mapped top-level windows, bottom to top."""
        pid = self._pid()
        found = []
        for child in self.root.query_tree().children:
            try:
                prop = child.get_full_property(self._pid_atom, self._x.AnyPropertyType)
                if prop is None or pid is None or int(prop.value[0]) != pid:
                    continue
                if child.get_attributes().map_state != self._x.IsViewable:
                    continue
                geometry = child.get_geometry()
                named = child.get_full_property(self._net_name, self._utf8)
                title = named.value if named is not None else (child.get_wm_name() or "")
            except Exception:  # noqa: S112 - it went away between the calls
                continue
            if isinstance(title, bytes):
                title = title.decode("utf-8" if named is not None else "latin-1", "replace")
            if child.id not in self._watched:
                child.change_attributes(event_mask=self._x.PropertyChangeMask)
                self._watched.add(child.id)
            found.append(
                Window(child.id, title, geometry.x, geometry.y, geometry.width, geometry.height)
            )
        return found

    def titled(self, title: str) -> Window | None:
        """The topmost window titled ``title``; ``"Find invoice - *"``: whose title
        starts with ``"Find invoice - "``."""
        for window in reversed(self.windows()):
            if window.title == title or (
                title.endswith("*") and window.title.startswith(title[:-1])
            ):
                return window
        return None

    def focus(self, window: Window) -> None:
        """Give ``window`` the keyboard and raise it (there is no window manager)."""
        resource = self.display.create_resource_object("window", window.id)
        resource.configure(stack_mode=self._x.Above)
        self.display.set_input_focus(resource, self._x.RevertToParent, self._x.CurrentTime)
        self.display.sync()

    def wait(self, check: Callable[[], T | None], timeout: float, alive: Callable[[], bool]) -> T:
        """The first truthy ``check()``; ``WindowGone`` once ``alive()`` is false,
        ``TimeoutError`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self._drain()
            result = check()
            if result:
                return result
            if not alive():
                raise WindowGone("the client is no longer running")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            select.select([self.display.fileno()], [], [], min(left, 0.05))

    def _drain(self) -> None:
        while self.display.pending_events():
            event = self.display.next_event()
            if type(event).__name__ == "SetSelectionOwnerNotify" and event.owner != self._own:
                self.copies += 1
            elif event.type == self._x.SelectionRequest:
                self._serve(event)

    def _serve(self, request: Any) -> None:
        """Answer a paste: the targets we offer, or the text as UTF8_STRING or STRING."""
        from Xlib import Xatom
        from Xlib.protocol import event as xevent

        prop = request.property or request.target
        if request.target == self._targets:
            request.requestor.change_property(
                prop, Xatom.ATOM, 32, [self._targets, self._utf8, Xatom.STRING]
            )
        elif self._offer is not None and request.target in (self._utf8, Xatom.STRING):
            data = self._offer
            if request.target == Xatom.STRING:
                data = data.decode().encode("latin-1", "replace")
            request.requestor.change_property(prop, request.target, 8, data)
            self.served += 1
        else:
            prop = self._x.NONE
        notify = xevent.SelectionNotify(
            time=request.time, requestor=request.requestor, selection=request.selection,
            target=request.target, property=prop,
        )  # fmt: skip
        request.requestor.send_event(notify)
        self.display.flush()


def describe(windows: list[Window]) -> str:
    return ", ".join(repr(w.title) for w in windows) or "no window"
