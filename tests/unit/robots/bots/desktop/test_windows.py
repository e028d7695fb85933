"""Screen's picture of the windows, kept by X events, against a real X server (Xvfb)
and a second X connection playing the client: windows of its pid only, mapped,
renamed, filled, unmapped and destroyed, each seen without a poll of its own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from clerk.display import VirtualDisplay
from robots.bots.desktop._windows import Screen

pytestmark = [
    pytest.mark.desktop,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb"),
]
PID = 424242


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    with VirtualDisplay() as display:
        yield display.name


@pytest.fixture()
def parts(x_display: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Screen, Any]]:
    from Xlib.display import Display

    monkeypatch.setenv("DISPLAY", x_display)
    screen = Screen(lambda: PID)
    client = Display(x_display)
    yield screen, client
    client.close()
    screen.close()


def top_level(client: Any, title: str, pid: int = PID) -> Any:
    from Xlib import Xatom

    root = client.screen().root
    window = root.create_window(10, 20, 200, 100, 0, client.screen().root_depth)
    window.set_wm_name(title)
    window.change_property(client.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [pid])
    client.flush()
    return window


def seen(screen: Screen, what: Any) -> Any:
    return screen.wait(what, 5.0, lambda: True)


def test_a_window_is_seen_mapped_renamed_and_gone(parts: tuple[Screen, Any]) -> None:
    screen, client = parts
    window = top_level(client, "Sign in")
    assert screen.windows() == []  # not mapped yet
    window.map()
    client.flush()
    _, found = seen(screen, lambda: screen.titled("Sign in"))
    assert (found.id, found.region) == (window.id, (10, 20, 210, 120))
    window.set_wm_name("Find invoice - 10002 RE-1: 1 found")
    client.flush()
    title, _ = seen(screen, lambda: screen.titled("Find invoice - *"))
    assert title == "Find invoice - *"
    window.unmap()
    client.flush()
    seen(screen, lambda: screen.windows() == [] or None)
    window.destroy()
    client.flush()
    seen(screen, lambda: screen.windows() == [] or None)


def test_only_the_client_s_own_windows_count(parts: tuple[Screen, Any]) -> None:
    screen, client = parts
    other = top_level(client, "Sign in", pid=PID + 1)
    other.map()
    mine = top_level(client, "Ledger")
    mine.map()
    client.flush()
    seen(screen, lambda: screen.titled("Ledger"))
    assert screen.titled("Sign in") is None
    assert [w.title for w in screen.windows()] == ["Ledger"]
    other.destroy()
    mine.destroy()
    client.flush()


def test_a_window_is_ready_once_everything_in_it_is_mapped(parts: tuple[Screen, Any]) -> None:
    screen, client = parts
    frame = top_level(client, "Invoice entry")
    inner = frame.create_window(0, 0, 200, 100, 0, client.screen().root_depth)
    frame.map()
    client.flush()
    _, window = seen(screen, lambda: screen.titled("Invoice entry"))
    assert not screen.ready(window)  # its contents are not mapped yet
    inner.map()
    client.flush()
    seen(screen, lambda: screen.ready(window))
    frame.destroy()
    client.flush()


def test_the_focus_owner_is_the_top_level_window_around_the_focus(
    parts: tuple[Screen, Any],
) -> None:
    from Xlib import X

    screen, client = parts
    frame = top_level(client, "Find invoice")
    field = frame.create_window(5, 5, 50, 20, 0, client.screen().root_depth)
    field.map()
    frame.map()
    client.flush()
    _, window = seen(screen, lambda: screen.titled("Find invoice"))
    client.set_input_focus(field, X.RevertToParent, X.CurrentTime)
    client.sync()
    assert screen.focus_owner() == window.id  # the focus is on a window inside it
    client.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
    client.sync()
    assert screen.focus_owner() is None
    frame.destroy()
    client.flush()
