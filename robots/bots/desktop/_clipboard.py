"""The X clipboard on the bot's own connection (``_windows.Screen``'s), event by event:
XFixes says when an application takes the clipboard (a copy happened), a paste from the
client is a request this side answers (``offer``), and a copy is read by asking the
owner for it (``request``, then ``text`` once its answer came) — no ``xclip`` process
per read, and no read of a clipboard older than the copy waited for."""

from __future__ import annotations

from typing import Any


class Clipboard:
    def __init__(self, display: Any, root: Any) -> None:
        from Xlib import X, Xatom

        self._x, self._xatom = X, Xatom
        self.display = display
        # XFixes tells whenever the clipboard gets an owner: a copy is waited for too.
        display.xfixes_query_version()
        self.atom = display.intern_atom("CLIPBOARD")
        display.xfixes_select_selection_input(root, self.atom, 1)  # SetSelectionOwnerNotifyMask
        self.own = root.create_window(0, 0, 1, 1, 0, 0)  # never mapped
        self._utf8 = display.intern_atom("UTF8_STRING")
        self._targets = display.intern_atom("TARGETS")
        self._into = display.intern_atom("CLERK_CLIPBOARD")
        self._offer: bytes | None = None  # what we paste, served to the client on request
        self.copies = 0  # times the clipboard went to another owner than us
        self.served = 0  # times the client took what we offer
        self.answer: Any = None  # the owner's answer to ``request``

    def handle(self, event: Any) -> None:
        if type(event).__name__ == "SetSelectionOwnerNotify" and event.owner != self.own:
            self.copies += 1
        elif event.type == self._x.SelectionRequest:
            self._serve(event)
        elif event.type == self._x.SelectionNotify and event.requestor == self.own:
            self.answer = event

    def take(self) -> None:
        """Own the clipboard for a moment: an application that owned it already (Tk) only
        announces a new owner (XFixes) when it takes the clipboard back."""
        self.own.set_selection_owner(self.atom, self._x.CurrentTime)
        self.display.sync()

    def offer(self, text: str) -> None:
        """Own the clipboard with ``text``: the client's paste asks us for it (served in
        ``handle``, as an X event), so a paste is waited for like any other change."""
        self._offer = text.encode()
        self.take()

    def request(self) -> None:
        """Ask the clipboard's owner for its text (as UTF-8); its answer is an event."""
        self.answer = None
        self.own.convert_selection(self.atom, self._utf8, self._into, self._x.CurrentTime)
        self.display.flush()

    def text(self) -> str | None:
        """The text the owner answered with; ``None`` if it had none to give."""
        if self.answer is None or self.answer.property == self._x.NONE:
            return None
        prop = self.own.get_full_property(self._into, self._x.AnyPropertyType)
        self.own.delete_property(self._into)
        if prop is None or prop.property_type not in (self._utf8, self._xatom.STRING):
            return None  # INCR (a transfer in parts) is not needed for a form's text
        value = prop.value
        data = value if isinstance(value, bytes) else bytes(value)
        return data.decode("utf-8" if prop.property_type == self._utf8 else "latin-1", "replace")

    def _serve(self, request: Any) -> None:
        """Answer a paste: the targets we offer, or the text as UTF8_STRING or STRING."""
        from Xlib.protocol import event as xevent

        prop = request.property or request.target
        if request.target == self._targets:
            request.requestor.change_property(
                prop, self._xatom.ATOM, 32, [self._targets, self._utf8, self._xatom.STRING]
            )
        elif self._offer is not None and request.target in (self._utf8, self._xatom.STRING):
            data = self._offer
            if request.target == self._xatom.STRING:
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
