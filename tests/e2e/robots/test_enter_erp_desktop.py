"""The Enter ERP (desktop) robot on the stock work-items API, run by a real Control Room
and ``clerk worker``, against the desktop ERP client under Xvfb with system messages
switched on; the robot is SIGKILLed while an invoice form is open. Every good item ends
COMPLETED (retried in place after the kill) with one output, each of their invoices is
in the ledger once, equal field by field to its payload; the two bad ones end FAILED
BUSINESS with their codes and nothing entered; nothing is lost."""

from __future__ import annotations

import os
import signal
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clerk.paths import PROJECT_ROOT
from clerk.payloads import ItemPayload
from clerk.processes import process_tree
from clerk_app._demo import DemoOptions, DemoStack, demo_stack, wait_for_run
from clerk_app._demo_summary import items_of_run
from sandbox._erp_store import ErpStore
from sandbox.desktop import set_desktop_faults
from tests.e2e.bots.desktop.conftest import xvfb  # noqa: F401 - the session's display
from tests.unit.robots.ground_truth import assert_erp_matches, payload_of_truth

pytestmark = [pytest.mark.desktop, pytest.mark.slow]
STEP = "Enter ERP (desktop)"


@pytest.fixture()
def stack(tmp_path: Path, xvfb: str) -> Iterator[DemoStack]:  # noqa: F811
    saved = dict(os.environ)
    options = DemoOptions(
        home=tmp_path / "demo", steps=(STEP,), concurrency=1, retry_backoff=0.2, max_attempts=4,
        extra_env={"CLERK_BOT_TIMEOUT_MS": "15000"},
    )  # fmt: skip
    try:
        with demo_stack(options) as running:
            yield running
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _wait_until_shown(title: str, timeout: float = 120) -> None:
    """Until a window titled ``title`` is mapped on the display: woken by each window
    mapped (X events), as the bot's form is open for a few tens of milliseconds only
    (a poll every 50 ms could miss every one of them)."""
    import select
    import time

    from Xlib import X
    from Xlib.display import Display

    display = Display()
    root = display.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)

    def titled(window: Any) -> bool:
        try:
            return str(window.get_wm_name() or "") == title and (
                window.get_attributes().map_state == X.IsViewable
            )
        except Exception:  # gone already
            return False

    deadline = time.monotonic() + timeout
    try:
        if any(titled(child) for child in root.query_tree().children):
            return
        while True:
            while display.pending_events():
                event = display.next_event()
                if event.type == X.MapNotify and titled(event.window):
                    return
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no window {title!r} within {timeout:.0f} s")
            select.select([display.fileno()], [], [], min(left, 0.5))
    finally:
        display.close()


def _robot_pid(stack: DemoStack) -> int | None:
    assert stack.worker is not None
    for pid, _ in process_tree(stack.worker.pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"enter_erp_desktop" in command and b"robocorp.tasks" in command:
            return pid
    return None


def test_robot_killed_mid_entry_enters_each_invoice_once(stack: DemoStack) -> None:
    set_desktop_faults(stack.home / "sandbox" / "desktop-faults.json", popup_rate=0.3, seed=5)
    tag = uuid.uuid4().hex[:6].upper()
    payloads = [
        payload_of_truth("invoice_en.pdf", invoice_number=f"DESK-{tag}-{i}") for i in range(4)
    ]
    bad = {
        f"DESK-{tag}-TOTAL": ("ERP_VALIDATION", {"total_amount": "1.00"}),
        f"DESK-{tag}-VENDOR": (
            "UNKNOWN_VENDOR", {"vendor_name": "Nobody Trading Ltd", "vendor_vat_id": "GB000"}
        ),
    }  # fmt: skip
    payloads += [
        payload_of_truth("invoice_en.pdf", invoice_number=number, **changes)
        for number, (_, changes) in bad.items()
    ]
    run_id = stack.start_run(payloads)
    # SIGKILL the robot while an invoice form is open on the display (mid-entry).
    _wait_until_shown("Invoice entry")
    pid = _robot_pid(stack)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert wait_for_run(stack, run_id, timeout=300) in ("COMPLETED", "FAILED")

    rows = items_of_run(stack, run_id)
    inputs = [item for item, _, _ in rows if item.parent_id is None]
    outputs = Counter(item.parent_id for item, _, _ in rows if item.parent_id is not None)
    assert len(inputs) == 6
    number = {i.id: ItemPayload.parse(i.payload).get_understanding().values()["invoice_number"]  # type: ignore[union-attr]
              for i in inputs}  # fmt: skip
    good = [i for i in inputs if number[i.id] not in bad]
    for item in inputs:
        if number[item.id] in bad:
            code = bad[str(number[item.id])][0]
            assert (item.state, item.exception_type, item.exception_code) == (
                "FAILED",
                "BUSINESS",
                code,
            ), (item.state, item.exception_code, item.exception_message)
            assert outputs[item.id] == 0
        else:
            assert item.state == "COMPLETED", (item.state, item.exception_code)
            assert outputs[item.id] == 1, outputs  # none lost, none twice
    assert any((item.attempts or 1) > 1 for item in inputs), "the killed item was retried"

    settings_db = Path(stack.env["CLERK_SANDBOX_ERP_DB"])
    ledger = ErpStore(settings_db, PROJECT_ROOT / "samples" / "expected").ledger()["invoices"]
    assert not [d for d in ledger if d["reference"] in bad]
    for item in good:
        mine = [d for d in ledger if d["note"] == f"clerk item {item.id}"]
        assert len(mine) == 1, (item.id, mine)
        values = ItemPayload.parse(item.payload).get_understanding().addressed_values()  # type: ignore[union-attr]
        assert_erp_matches(mine[0], values, item.id)
    _nowhere_on_disk(stack.home, stack.env["CLERK_SANDBOX_PASSWORD"].encode())


def _nowhere_on_disk(folder: Path, secret: bytes) -> None:
    """The robot's password is in no file of the run: logs, log.html, artifacts."""
    import gzip

    for path in folder.rglob("*"):
        if not path.is_file() or path.stat().st_size > 50_000_000:
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        assert secret not in data, path
