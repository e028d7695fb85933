"""The desktop client's faults file: written whole, read again when it changes, and
reproducible from its seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.desktop._faults import DesktopFaults, FaultFile, set_desktop_faults


def test_no_file_means_no_faults(tmp_path: Path) -> None:
    assert FaultFile(tmp_path / "missing.json").current() == DesktopFaults()
    assert FaultFile(None).current() == DesktopFaults()


def test_a_change_is_read_at_the_next_look(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    faults = FaultFile(path)
    set_desktop_faults(path, layout=2, slow_dialog_ms=300)
    assert (faults.current().layout, faults.current().slow_dialog_ms) == (2, 300)
    set_desktop_faults(path)
    assert faults.current() == DesktopFaults()


def test_the_same_seed_draws_the_same_faults(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    set_desktop_faults(path, popup_rate=0.5, seed=7)
    first, second = FaultFile(path), FaultFile(path)
    first.current()
    second.current()
    assert [first.draw(0.5) for _ in range(20)] == [second.draw(0.5) for _ in range(20)]


def test_a_broken_file_means_no_faults(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    path.write_text("{not json")
    assert FaultFile(path).current() == DesktopFaults()


def test_bad_values_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        set_desktop_faults(tmp_path / "faults.json", popup_rate=2)
    with pytest.raises(ValidationError):
        set_desktop_faults(tmp_path / "faults.json", lost_reply_rate=0.1)
    assert not (tmp_path / "faults.json").exists()
