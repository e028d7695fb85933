"""A display for desktop robots: the one there is, or an Xvfb that ends with its block."""

from __future__ import annotations

import shutil

import pytest

from clerk.display import VirtualDisplay, ensure_display, worker_display

needs_xvfb = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")


def test_an_existing_display_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":77")
    with ensure_display() as name, worker_display() as worker:
        assert (name, worker) == (":77", ":77")


@needs_xvfb
def test_without_a_display_an_xvfb_serves_the_block_and_ends_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from Xlib.display import Display

    monkeypatch.delenv("DISPLAY", raising=False)
    with worker_display() as name:
        assert name and name.startswith(":")
        Display(name).close()  # it takes clients
    import os

    assert "DISPLAY" not in os.environ


@needs_xvfb
def test_virtual_display_stops_its_server() -> None:
    display = VirtualDisplay().start()
    assert display.process is not None and display.process.poll() is None
    display.stop()
    assert display.process.poll() is not None
