"""Dashboard statistics and the drift indicator against the classifier card's baseline."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk import bins
from clerk.registry import ModelCard, Registry, now_iso
from controlroom.console import _charts as charts
from controlroom.console import _dashboard as dashboard
from controlroom.db import transaction
from controlroom.models import WorkItem
from controlroom.services import runs
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import (
    csrf_of,
    fail_for_review,
    finish_robot,
    start_robot,
)


def test_psi_is_zero_for_the_same_shape_and_large_for_a_shift() -> None:
    base = [0, 0, 1, 2, 4, 8, 16, 32, 64, 128]
    assert charts.psi(base, [2 * c for c in base]) == pytest.approx(0.0, abs=1e-9)
    shifted = list(reversed(base))
    assert charts.psi(base, shifted) > 1.0
    with pytest.raises(ValueError, match="equal bins"):
        charts.psi(base, base[:5])
    with pytest.raises(ValueError, match="at least one value"):
        charts.psi(base, [0] * 10)


def test_histogram_bins_and_percentiles() -> None:
    edges = bins.bin_edges()
    assert bins.histogram([0.0, 0.05, 0.1, 0.99, 1.0], edges) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    values = [float(v) for v in range(1, 101)]
    assert charts.percentile(values, 50) == pytest.approx(50.5)
    assert charts.percentile(values, 99) == pytest.approx(99.01)
    assert charts.percentile([], 50) is None


def test_bar_chart_scales_bars_into_the_plot() -> None:
    chart = charts.bar_chart([0.0, 5.0, 10.0], ["a", "b", "c"], width=400, height=100)
    assert chart.bars[0].height == 0
    assert chart.bars[2].y == pytest.approx(8.0)  # the tallest reaches the top margin
    assert chart.bars[1].height == pytest.approx(chart.bars[2].height / 2)
    assert all(b.x + b.width <= 400 for b in chart.bars)


def _publish_card(root: Path, counts: list[int], edges: list[float] | None = None) -> None:
    build = root / "build"
    build.mkdir(parents=True)
    card = ModelCard(
        kind="classifier",
        version="classifier-test",
        data_hash="0" * 64,
        recipe="test",
        seed=1,
        created_at=now_iso(),
        metrics={
            "confidence_histogram": {
                "edges": edges or [i / 10 for i in range(11)],
                "counts": counts,
            }
        },
    )
    Registry(root).publish(card, build)


def test_drift_without_a_model_card_is_explained_not_an_error(console: Console) -> None:
    result = dashboard.drift([0.9, 0.95], threshold=0.2)
    assert result.baseline is None and result.psi is None and not result.drifted
    assert "no classifier model card" in result.note


def test_drift_flags_a_shift_from_the_baseline(console: Console) -> None:
    _publish_card(console.home / "models", [0, 0, 0, 0, 0, 1, 2, 5, 20, 72])
    confident = dashboard.drift([0.95] * 70 + [0.85] * 20 + [0.75] * 5 + [0.65] * 5, 0.2)
    assert confident.psi is not None and confident.psi < 0.2 and not confident.drifted
    unsure = dashboard.drift([0.35] * 50 + [0.55] * 50, 0.2)
    assert unsure.psi is not None and unsure.drifted
    assert "classifier-test" in unsure.note
    few = dashboard.drift([0.35] * 5, 0.2)  # five documents: noise, not drift
    assert few.psi is not None and few.psi > 0.2 and not few.drifted


def test_drift_counts_in_the_bins_the_card_recorded(console: Console) -> None:
    """The card's edges, not a bin count of the console's own, decide the bins."""
    _publish_card(console.home / "models", [10, 30, 60], edges=[0.0, 0.5, 0.9, 1.0])
    result = dashboard.drift([0.2, 0.6, 0.95, 1.0], 0.2)
    assert result.edges == [0.0, 0.5, 0.9, 1.0]
    assert result.current == [1, 1, 2] and result.baseline == [10, 30, 60]


def test_dashboard_figures_from_real_items(console: Console) -> None:
    client = console.client()
    # Document A: failed, approved by a person. Document B: completed by the robot alone.
    run_a, item_a = fail_for_review(
        console.factory, client, console.process_id, console.workspace_id
    )
    reviewer = console.logged_in("rita", "reviewer")
    page = reviewer.get(f"/console/items/{item_a}")
    reviewer.post(
        f"/console/items/{item_a}/approve",
        data={"csrf_token": csrf_of(page.text), "field:total_amount": "119.00"},
    )
    run_b, item_b = fail_for_review(
        console.factory, client, console.process_id, console.workspace_id
    )
    with transaction(console.factory) as session:
        # B's item is re-run by a robot and completes (no person involved).
        item = session.get_one(WorkItem, item_b)
        item.state, item.exception_type, item.exception_code = "PENDING", None, None
    robot = start_robot(console.factory, client, run_b)
    assert robot.first_item_id == item_b
    robot.release(item_b, "COMPLETED")
    finish_robot(console.factory, robot)
    # A's output finishes at step 2 too.
    with transaction(console.factory) as session:
        child = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_a)).one()
    robot2 = start_robot(console.factory, client, run_a, position=2)
    assert robot2.first_item_id == child.id
    robot2.release(child.id, "COMPLETED")
    finish_robot(console.factory, robot2)

    with transaction(console.factory) as session:
        d = dashboard.build(session, console.workspace_id)
    assert d.documents == 2 and d.straight_through == 1 and d.stp_rate == 0.5
    assert sum(n for _, n in d.throughput) == 3  # item A, its output, item B
    assert [(f, n) for f, n, _ in d.overrides] == [("total_amount", 1)]
    # Both documents are the same bytes, so one distinct document was understood.
    assert d.overrides[0][2] == 1.0
    steps = {t.step: t for t in d.timings}
    assert steps["Understand"].count == 2 and steps["Enter in ERP"].count == 1
    assert all(t.p50 is not None and t.p50 >= 0 and not math.isnan(t.p50) for t in d.timings)
    assert d.drift.current[9] == 1  # type_confidence 0.91
    html = console.logged_in("vera", "viewer").get("/console/").text
    assert "50%" in html and "<svg" in html and "<rect" in html


def test_a_document_waiting_for_review_is_not_straight_through(console: Console) -> None:
    """The README's example: one document waits for review; it needed a person."""
    client = console.client()
    fail_for_review(console.factory, client, console.process_id, console.workspace_id)
    with transaction(console.factory) as session:
        d = dashboard.build(session, console.workspace_id)
    assert (d.documents, d.straight_through, d.stp_rate) == (1, 0, 0.0)
    # A second document that the robot completes alone.
    with transaction(console.factory) as session:
        run_id = runs.start_run(
            session,
            client.app.state.blobs,
            console.workspace_id,
            console.process_id,
            [runs.InputSpec({"n": 1})],
            actor="user:test",
            max_payload_bytes=10**6,
            max_file_bytes=10**6,
        ).id
    robot = start_robot(console.factory, client, run_id)
    assert robot.first_item_id
    robot.release(robot.first_item_id, "COMPLETED")
    finish_robot(console.factory, robot)
    with transaction(console.factory) as session:
        d = dashboard.build(session, console.workspace_id)
    assert (d.documents, d.straight_through, d.stp_rate) == (2, 1, 0.5)
    html = console.logged_in("vera", "viewer").get("/console/").text
    assert "50%" in html and "1 of 2 documents needed no person" in html
