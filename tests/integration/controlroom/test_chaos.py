"""``bench/bench_chaos.py --quick`` on SQLite: robot SIGKILLs, Control Room SIGKILLs and
restarts, a worker cut off by its network namespace's link going down, and nothing is
lost or done twice; then the real Enter ERP robot, SIGKILLed mid-entry, enters each
invoice into the sandbox ERP once. Two tests, so each stays under a minute."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_chaos.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_chaos", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_quick_chaos_on_sqlite_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    bench = _bench()
    why = bench.netns_unavailable()
    if why:
        pytest.skip(f"the chaos test cuts a worker off with a network namespace: {why}")
    config = bench.config_from(bench.parse_args(["--quick", "--erp", "0"]), netns=True)
    outcome = bench.chaos("sqlite", config, tmp_path)
    bench.report(outcome, config)
    assert outcome.run_state == "COMPLETED", outcome.problems
    assert (outcome.lost, outcome.duplicated_outputs) == (0, 0)
    assert not outcome.problems
    kinds = {fault.split(" ", 2)[1] for fault in outcome.faults}
    assert {"step-1", "Room", "step-2", "worker's"} <= kinds, outcome.faults
    assert sum("Control Room" in fault for fault in outcome.faults) == 2


@pytest.mark.browser
def test_enter_erp_robots_killed_mid_entry_enter_each_invoice_once(tmp_path: Path) -> None:
    bench = _bench()
    args = bench.parse_args(["--quick", "--erp", "3", "--erp-kills", "1"])
    config = bench.config_from(args, netns=False)
    outcome = bench.Outcome("sqlite")
    bench.erp_phase(outcome, config, tmp_path, f"sqlite:///{tmp_path / 'controlroom.db'}")
    bench.report(outcome, config)
    assert not outcome.problems
    assert (outcome.lost, outcome.duplicated_outputs, outcome.duplicate_erp_records) == (0, 0, 0)
    assert sum("Enter ERP" in fault for fault in outcome.faults) == 1
