"""The desktop client's windows on the X display, through python-xlib (pynput's, so
RPA.Desktop's own dependency): found by title among the windows of one process
(``_NET_WM_PID``), focused, and waited for.

Waiting is on X events, not on a clock: the root window reports every window created,
mapped, unmapped, moved or destroyed, each top-level window reports its properties
changing (title, pid), and XFixes reports the clipboard changing hands, so a wait wakes
when the screen (or the clipboard) changes and checks its condition again.

The same events keep a picture of the top-level windows up to date (``_Seen``: mapped,
pid, title, geometry; the stacking order), so finding a window asks the X server only
what changed since the last look, not five questions per window each time (that cost
a large share of an invoice's time, ``bench/bench_desktop_entry.py``). A wait that hears
nothing for a while (the select() timeout) forgets the picture and reads it afresh: a
missed event costs that long, not a hang.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from robots.bots.desktop._clipboard import Clipboard

T = TypeVar("T")
QUIET_S = 0.05  # a wait that hears no event this long reads the screen afresh


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


@dataclass
class _Seen:
    """What is known of one top-level window; ``None``: ask the server again."""

    mapped: bool
    ready: bool = False  # everything in it is mapped: it takes input
    pid: int | None = None  # 0: it has no _NET_WM_PID (yet)
    title: str | None = None
    geometry: tuple[int, int, int, int] | None = None


class Screen:
    """The windows of the process ``pid()`` on ``$DISPLAY``."""

    def __init__(self, pid: Callable[[], int | None]) -> None:
        from Xlib import X, error
        from Xlib.display import Display

        self._pid = pid
        self._x = X
        self._bad = error.CatchError()
        self.display = Display()
        self.root = self.display.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self._pid_atom = self.display.intern_atom("_NET_WM_PID")
        self._utf8 = self.display.intern_atom("UTF8_STRING")
        self._net_name = self.display.intern_atom("_NET_WM_NAME")
        self._names = {self._net_name, self.display.intern_atom("WM_NAME")}
        self._seen: dict[int, _Seen] = {}
        self._order: list[int] | None = None  # bottom to top; None: ask again
        self._heard = time.monotonic()  # when the last event came
        self.clipboard = Clipboard(self.display, self.root)

    def close(self) -> None:
        self.display.close()

    # --- the picture of the windows --------------------------------------------------------
    def forget(self) -> None:
        """Read every window afresh at the next look."""
        self._seen.clear()
        self._order = None

    def windows(self) -> list[Window]:
        """The client's mapped top-level windows, bottom to top."""
        if self._order is None:
            self._order = [child.id for child in self.root.query_tree().children]
        pid = self._pid()
        found = []
        for wid in self._order:
            seen = self._seen.get(wid) or self._meet(wid)
            if seen is None or not seen.mapped:
                continue
            try:
                window = self._own_window(wid, seen, pid)
            except Exception:  # noqa: S112 - it went away between the calls
                continue
            if window is not None:
                found.append(window)
        return found

    def _meet(self, wid: int) -> _Seen | None:
        """A window seen for the first time: its property changes are reported from now
        on, so what is read after this stays true until an event says otherwise."""
        window = self.display.create_resource_object("window", wid)
        X = self._x
        mask = X.PropertyChangeMask | X.SubstructureNotifyMask | X.FocusChangeMask
        window.change_attributes(event_mask=mask, onerror=self._bad)
        try:
            state = window.get_attributes().map_state
        except Exception:  # gone already
            return None
        seen = self._seen[wid] = _Seen(mapped=state == self._x.IsViewable)
        return seen

    def _own_window(self, wid: int, seen: _Seen, pid: int | None) -> Window | None:
        window = self.display.create_resource_object("window", wid)
        if seen.pid is None:
            prop = window.get_full_property(self._pid_atom, self._x.AnyPropertyType)
            seen.pid = int(prop.value[0]) if prop is not None and len(prop.value) else 0
        if pid is None or seen.pid != pid:
            return None
        if seen.title is None:
            named = window.get_full_property(self._net_name, self._utf8)
            title = named.value if named is not None else (window.get_wm_name() or "")
            if isinstance(title, bytes):
                title = title.decode("utf-8" if named is not None else "latin-1", "replace")
            seen.title = str(title)
        if seen.geometry is None:
            g = window.get_geometry()
            seen.geometry = (g.x, g.y, g.width, g.height)
        return Window(wid, seen.title, *seen.geometry)

    def ready(self, window: Window) -> bool:
        """Everything in ``window`` is mapped (its subwindows are viewable): only then
        does it take input. A Tk toplevel maps its contents only after the X server
        mapped its frame, and Tk gives a new window's field the keyboard when that
        field becomes visible: keys typed into the frame before that are lost."""
        seen = self._seen.get(window.id)
        if seen is None or not seen.mapped:
            return False
        if not seen.ready:
            resource = self.display.create_resource_object("window", window.id)
            try:
                children = resource.query_tree().children
                seen.ready = all(
                    c.get_attributes().map_state == self._x.IsViewable for c in children
                )
            except Exception:  # gone
                return False
        return seen.ready

    def titled(self, *titles: str) -> tuple[str, Window] | None:
        """The topmost window titled one of ``titles`` (the first title that has one);
        ``"Find invoice - *"``: whose title starts with ``"Find invoice - "``."""
        shown = list(reversed(self.windows()))
        for title in titles:
            for window in shown:
                if window.title == title or (
                    title.endswith("*") and window.title.startswith(title[:-1])
                ):
                    return title, window
        return None

    def focus_owner(self) -> int | None:
        """The top-level window that has the keyboard focus (it or a window inside it);
        ``None`` when the focus is on the root window or nowhere."""
        focus = self.display.get_input_focus().focus
        if not hasattr(focus, "query_tree"):
            return None  # PointerRoot or None
        try:
            while True:
                parent = focus.query_tree().parent
                if parent.id == self.root.id:
                    return int(focus.id)
                if not parent.id:
                    return None
                focus = parent
        except Exception:  # it went away
            return None

    def focus(self, window: Window) -> None:
        """Give ``window`` the keyboard and raise it (there is no window manager)."""
        resource = self.display.create_resource_object("window", window.id)
        resource.configure(stack_mode=self._x.Above)
        self.display.set_input_focus(resource, self._x.RevertToParent, self._x.CurrentTime)
        self.display.sync()

    def grab(self, region: tuple[int, int, int, int]) -> Any:
        """The pixels of ``region`` (left, top, right, bottom) as an RGB image: one
        request, for a check as small as a label."""
        from PIL import Image

        left, top, right, bottom = region
        size = (right - left, bottom - top)
        raw = self.root.get_image(left, top, *size, self._x.ZPixmap, 0xFFFFFFFF)
        if raw.depth == 24 and len(raw.data) == size[0] * size[1] * 4:
            return Image.frombytes("RGB", size, raw.data, "raw", "BGRX")
        import mss  # another pixel format: as RPA.Desktop's screenshots read it

        with mss.MSS() as shooter:
            shot = shooter.grab({"left": left, "top": top, "width": size[0], "height": size[1]})
        return Image.frombytes("RGB", shot.size, shot.bgra, "raw", "BGRX")

    # --- waiting -------------------------------------------------------------------------
    def wait(
        self, check: Callable[[], T | None], timeout: float, alive: Callable[[], bool],
        poll: float = QUIET_S,
    ) -> T:  # fmt: skip
        """The first truthy ``check()``; ``WindowGone`` once ``alive()`` is false,
        ``TimeoutError`` after ``timeout`` seconds. ``check()`` runs again on each X
        event, and every ``poll`` seconds (for what sends no event, such as drawing)."""
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
            if self.display.pending_events():
                continue  # events read while checking: select() would not see them
            select.select([self.display.fileno()], [], [], min(left, poll))
            if time.monotonic() - self._heard > QUIET_S:
                self.forget()
                self._heard = time.monotonic()

    def _drain(self) -> None:
        X = self._x
        while self.display.pending_events():
            event = self.display.next_event()
            self._heard = time.monotonic()
            kind = event.type
            parent = event.parent if kind == X.CreateNotify else getattr(event, "event", None)
            if parent is not None and parent.id != self.root.id:
                # A change inside a top-level window (its contents mapped, unmapped).
                if (seen := self._seen.get(parent.id)) is not None:
                    seen.ready = False
                continue
            if kind in (X.CreateNotify, X.ReparentNotify, X.CirculateNotify):
                self._order = None
            elif kind == X.DestroyNotify:
                self._seen.pop(event.window.id, None)
                self._order = None
            elif kind in (X.MapNotify, X.UnmapNotify):
                if (seen := self._seen.get(event.window.id)) is not None:
                    seen.mapped, seen.ready = kind == X.MapNotify, False
            elif kind == X.ConfigureNotify:
                if (seen := self._seen.get(event.window.id)) is not None:
                    seen.geometry = (event.x, event.y, event.width, event.height)
                self._order = None  # it may have been raised
            elif kind == X.PropertyNotify:
                if (seen := self._seen.get(event.window.id)) is not None:
                    if event.atom == self._pid_atom:
                        seen.pid = None
                    elif event.atom in self._names:
                        seen.title = None
            elif kind == X.MappingNotify:  # the keyboard changed (pynput borrows keys)
                self.display.refresh_keyboard_mapping(event)
            else:
                self.clipboard.handle(event)


def describe(windows: list[Window]) -> str:
    return ", ".join(repr(w.title) for w in windows) or "no window"
