"""Hands: typing, chords and clicks as XTest events, sent in one batch, read back as the
key and button events a window of another X connection receives (Xvfb)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest

from clerk.display import VirtualDisplay
from robots.bots.desktop._xtest import Hands

pytestmark = [
    pytest.mark.desktop,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb"),
]


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[Any, Any, Any]]:
    """(the bot's connection, the receiving connection, its focused window)."""
    from Xlib import X
    from Xlib.display import Display

    with VirtualDisplay() as display:
        bot, client = Display(display.name), Display(display.name)
        window = client.screen().root.create_window(
            100, 100, 300, 200, 0, client.screen().root_depth,
            event_mask=X.KeyPressMask | X.ButtonPressMask,
        )  # fmt: skip
        window.map()
        client.sync()
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        client.sync()
        yield bot, client, window
        bot.close()
        client.close()


def received(client: Any, count: int) -> list[Any]:
    events: list[Any] = []
    deadline = time.monotonic() + 5
    while len(events) < count and time.monotonic() < deadline:
        while client.pending_events():
            events.append(client.next_event())
        time.sleep(0.001)
    return events


SHIFT = 0xFFE1  # Shift_L


def typed(client: Any, presses: list[Any]) -> str:
    """The characters the key presses make (Shift presses themselves left out)."""
    from Xlib import X

    out = []
    for event in presses:
        keysym = client.keycode_to_keysym(event.detail, 1 if event.state & X.ShiftMask else 0)
        if keysym != SHIFT:
            out.append(chr(keysym) if 0x20 <= keysym <= 0x7E else f"<{keysym:#x}>")
    return "".join(out)


def test_text_arrives_in_order_with_its_capitals_tabs_and_punctuation(
    receiver: tuple[Any, Any, Any],
) -> None:
    bot, client, _ = receiver
    hands = Hands(bot)
    text = 'Nordlicht Papier AG, PO-7781:\t"5 x 4.99"'
    assert hands.typeable(text)
    hands.text(text)
    hands.keys("ctrl", "s")
    hands.send()
    shifts = sum(1 for c in text if c.isupper() or c in '":')
    presses = [e for e in received(client, len(text) + shifts + 2) if e.type == 2]  # KeyPress
    assert len(presses) == len(text) + shifts + 2  # each capital with its Shift; the chord
    assert typed(client, presses[:-2]) == text.replace("\t", "<0xff09>")
    control, s = presses[-2:]
    assert client.keycode_to_keysym(control.detail, 0) == 0xFFE3  # Control_L
    assert (chr(client.keycode_to_keysym(s.detail, 0)), bool(s.state & 4)) == ("s", True)


def test_beyond_ascii_is_not_typeable_and_is_refused(receiver: tuple[Any, Any, Any]) -> None:
    hands = Hands(receiver[0])
    assert not hands.typeable("Søn")
    with pytest.raises(ValueError, match="paste it"):
        hands.text("€")
    with pytest.raises(ValueError, match="unknown key"):
        hands.keys("ctrl", "no-such-key")


def test_a_click_lands_where_it_was_aimed(receiver: tuple[Any, Any, Any]) -> None:
    bot, client, window = receiver
    hands = Hands(bot)
    hands.click(150, 130)
    hands.send()
    [press] = [e for e in received(client, 1) if e.type == 4]  # ButtonPress
    assert (press.window.id, press.event_x, press.event_y, press.detail) == (window.id, 50, 30, 1)
