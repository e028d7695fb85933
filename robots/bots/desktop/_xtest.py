"""Keyboard and mouse as XTest events queued on one X connection and sent together,
the way ``xdotool type`` types: key presses, releases and clicks are requests that
need no answer, so a whole form goes to the X server in one write and one round trip
(``send``). RPA.Desktop's keyboard (pynput) asks the server twice per key event (the
focused window, then a sync): a round trip per character, a large share of an invoice's
time (bench/bench_desktop_entry.py).

The X server turns the events into input in the order they were queued, and the
client reads them in that order: a Tab typed before a value moves the focus before
the value's first key is read, as a person's typing does. Only characters the
keyboard has (printable ASCII, Tab, Return) are typed; ``typeable`` tells the caller
to paste anything else (``Desk.type``).
"""

from __future__ import annotations

from typing import Any

# Key names as RPA.Desktop spells them, to X keysym names.
NAMES = {
    "tab": "Tab", "enter": "Return", "return": "Return", "esc": "Escape", "escape": "Escape",
    "ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "f4": "F4", "backspace": "BackSpace",
    "delete": "Delete", "home": "Home", "end": "End",
}  # fmt: skip
CONTROL_CHARS = {"\t": "Tab", "\n": "Return"}


class Hands:
    def __init__(self, display: Any) -> None:
        from Xlib import XK, X
        from Xlib.ext import xtest

        self._x, self._xk, self._xtest = X, XK, xtest
        self.display = display
        self._shift = display.keysym_to_keycode(XK.string_to_keysym("Shift_L"))

    def _code(self, keysym: int) -> tuple[int, bool] | None:
        """The keycode that types ``keysym``, and whether Shift is held for it."""
        for keycode, index in self.display.keysym_to_keycodes(keysym):
            if index in (0, 1):
                return keycode, index == 1
        return None

    def _char(self, char: str) -> tuple[int, bool] | None:
        if char in CONTROL_CHARS:
            return self._code(self._xk.string_to_keysym(CONTROL_CHARS[char]))
        if not (" " <= char <= "~"):
            return None
        return self._code(ord(char))  # a printable ASCII character is its own keysym

    def typeable(self, text: str) -> bool:
        return all(self._char(c) is not None for c in text)

    def _fake(self, kind: int, detail: int, x: int = 0, y: int = 0) -> None:
        self._xtest.fake_input(self.display, kind, detail, x=x, y=y)

    def text(self, text: str) -> None:
        """Queue ``text`` (``typeable`` first), key by key."""
        X = self._x
        for char in text:
            found = self._char(char)
            if found is None:
                raise ValueError(f"no key types {char!r}; paste it")
            keycode, shifted = found
            if shifted:
                self._fake(X.KeyPress, self._shift)
            self._fake(X.KeyPress, keycode)
            self._fake(X.KeyRelease, keycode)
            if shifted:
                self._fake(X.KeyRelease, self._shift)

    def keys(self, *names: str) -> None:
        """Queue a chord: ``keys("ctrl", "s")`` holds Control while s is pressed."""
        codes = []
        for name in names:
            keysym = self._xk.string_to_keysym(NAMES.get(name.lower(), name))
            if not keysym:
                raise ValueError(f"unknown key {name!r}")
            code = self.display.keysym_to_keycode(keysym)
            if not code:
                raise ValueError(f"the keyboard has no key {name!r}")
            codes.append(code)
        for code in codes:
            self._fake(self._x.KeyPress, code)
        for code in reversed(codes):
            self._fake(self._x.KeyRelease, code)

    def click(self, x: int, y: int) -> None:
        """Queue a left click at (x, y) on the screen."""
        X = self._x
        self._fake(X.MotionNotify, 0, x, y)  # detail 0: absolute
        self._fake(X.ButtonPress, 1)
        self._fake(X.ButtonRelease, 1)

    def send(self) -> None:
        """Everything queued to the X server, and processed there."""
        self.display.sync()
