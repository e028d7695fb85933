"""Small Tk pieces the desktop client's windows share: themes, read-only text that can
be copied (Ctrl+A, Ctrl+C, as in the old Windows clients it imitates) and the modal
message box used for validation errors and "System message" notices."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    background: str
    field: str
    font: tuple[str, int]


THEMES = {
    1: Theme("#ececec", "#ffffff", ("DejaVu Sans", 12)),
    2: Theme("#dde6f2", "#fffbe8", ("DejaVu Serif", 12)),
}


def copy_all(widget: tk.Misc, text: str) -> str:
    widget.clipboard_clear()
    widget.clipboard_append(text)
    return "break"


def read_only_text(parent: tk.Misc, theme: Theme, height: int, width: int = 80) -> tk.Text:
    """A Text the user can select and copy from but not change."""
    # Disabled: no key changes it, and Escape, Return and Tab reach the window's bindings.
    text = tk.Text(parent, height=height, width=width, font=theme.font, bg=theme.field)
    text.configure(state="disabled", takefocus=True)
    text.bind("<Control-a>", lambda e: _select_all(text))
    text.bind("<Control-c>", lambda e: copy_all(text, text.get("1.0", "end-1c")))
    return text


def _select_all(text: tk.Text) -> str:
    text.tag_add("sel", "1.0", "end-1c")
    return "break"


def set_text(text: tk.Text, value: str) -> None:
    text.configure(state="normal")
    text.delete("1.0", "end")
    text.insert("1.0", value)
    text.configure(state="disabled")


def labelled_entry(parent: tk.Misc, theme: Theme, label: str, row: int, width: int) -> tk.Entry:
    # Labels are right-aligned against their field: a bot finding a label finds its field.
    tk.Label(parent, text=label, font=theme.font, bg=theme.background).grid(
        row=row, column=0, sticky="e", padx=(12, 4), pady=3
    )
    entry = tk.Entry(parent, width=width, font=theme.font, bg=theme.field)
    entry.grid(row=row, column=1, sticky="w", pady=3)
    return entry


class MessageBox(tk.Toplevel):
    """A modal box with a message and OK; Enter, Escape or OK close it, Ctrl+C copies it."""

    def __init__(
        self, master: tk.Misc, theme: Theme, title: str, message: str,
        on_close: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(master, bg=theme.background)
        self.title(title)
        self.geometry("+220+200")
        self._on_close = on_close
        tk.Label(
            self, text=message, font=theme.font, bg=theme.background, wraplength=520,
            justify="left",
        ).pack(padx=18, pady=14)  # fmt: skip
        ok = tk.Button(self, text="OK", width=10, font=theme.font, command=self.close)
        ok.pack(pady=(0, 12))
        for key in ("<Return>", "<Escape>", "<KP_Enter>"):
            self.bind(key, lambda e: self.close())
        self.bind("<Control-c>", lambda e: copy_all(self, f"{title}\n{message}"))
        if master.winfo_viewable():  # Tk never shows a transient of a withdrawn window
            self.transient(master)  # type: ignore[call-overload]
        ok.focus_set()
        self.grab_set()

    def close(self) -> None:
        self.grab_release()
        self.destroy()
        if self._on_close is not None:
            self._on_close()
