"""The dashboard's figures over a recent window (default the last 24 hours).

Definitions (the page repeats them):

- throughput: items that reached COMPLETED, per hour (by their last update);
- straight-through rate: of the documents (items sharing a correlation id: an input and
  every output made from it) that finished in the window or wait for a person (an open
  FAILED item), those that finished with no person: none waits, and none has an
  ``item.retry``/``edit_retry``/``reject``/``approve``/``replace_file`` in the audit log.
  A document waiting for review needed a person, so it counts against the rate;
- override rate per field: documents with a reviewer's correction of that field, over
  the documents understood in the window;
- time per step: ``reserved_at -> released_at`` of items released in the window;
- classifier confidence: one ``type_confidence`` per document against the current
  classifier card's held-out histogram, with the population stability index (PSI).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk import bins
from controlroom._console_models import Correction
from controlroom._db_types import utcnow
from controlroom.console import _charts as charts
from controlroom.models import AuditEntry, Process, ProcessStep, WorkItem
from controlroom.states import ItemState

HUMAN_ACTIONS = (
    "item.retry",
    "item.edit_retry",
    "item.reject",
    "item.approve",
    "item.replace_file",
)
MAX_ROWS = 50_000  # cap per query: the dashboard must stay cheap on a busy day
# Below this many documents a PSI is noise (one document fills a bin): shown, not alarmed.
MIN_DRIFT_DOCUMENTS = 30


@dataclass(frozen=True)
class StepTiming:
    process: str
    step: str
    count: int
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class Drift:
    baseline: list[int] | None
    current: list[int]
    edges: list[float]  # the baseline card's bins (``clerk.bins``), both counted in them
    psi: float | None
    threshold: float
    note: str

    @property
    def enough(self) -> bool:
        return sum(self.current) >= MIN_DRIFT_DOCUMENTS

    @property
    def drifted(self) -> bool:
        return self.psi is not None and self.enough and self.psi >= self.threshold


@dataclass(frozen=True)
class Dashboard:
    hours: int
    throughput: list[tuple[datetime, int]]
    documents: int
    straight_through: int
    overrides: list[tuple[str, int, float]]  # field, documents corrected, rate
    timings: list[StepTiming]
    drift: Drift
    open_failures: int

    @property
    def stp_rate(self) -> float | None:
        return self.straight_through / self.documents if self.documents else None


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def throughput(
    session: Session, workspace_id: str, since: datetime, hours: int
) -> list[tuple[datetime, int]]:
    stamps = session.scalars(
        select(WorkItem.updated_at)
        .where(
            WorkItem.workspace_id == workspace_id,
            WorkItem.state == ItemState.COMPLETED.value,
            WorkItem.updated_at >= since,
        )
        .limit(MAX_ROWS)
    )
    counts = Counter(_hour(at) for at in stamps)
    start = _hour(since) + timedelta(hours=1)
    return [
        (start + timedelta(hours=h), counts.get(start + timedelta(hours=h), 0))
        for h in range(hours)
    ]


def straight_through(session: Session, workspace_id: str, since: datetime) -> tuple[int, int]:
    finished = set(
        session.scalars(
            select(WorkItem.correlation_id)
            .where(
                WorkItem.workspace_id == workspace_id,
                WorkItem.state.in_((ItemState.COMPLETED.value, ItemState.FAILED.value)),
                WorkItem.updated_at >= since,
            )
            .distinct()
            .limit(MAX_ROWS)
        )
    )
    still_open = set(
        session.scalars(
            select(WorkItem.correlation_id)
            .where(
                WorkItem.workspace_id == workspace_id,
                WorkItem.state.in_((ItemState.PENDING.value, ItemState.IN_PROGRESS.value)),
            )
            .distinct()
            .limit(MAX_ROWS)
        )
    )
    # A FAILED item still waiting for a person (not rejected).
    waiting = set(
        session.scalars(
            select(WorkItem.correlation_id)
            .where(
                WorkItem.workspace_id == workspace_id,
                WorkItem.state == ItemState.FAILED.value,
                WorkItem.rejected_at.is_(None),
            )
            .distinct()
            .limit(MAX_ROWS)
        )
    )
    # A document waiting for a person already needed one: it counts, as not straight-through.
    documents = (finished - still_open) | (finished & waiting)
    touched = set(
        session.scalars(
            select(WorkItem.correlation_id)
            .join(AuditEntry, AuditEntry.entity_id == WorkItem.id)
            .where(
                AuditEntry.entity == "work_item",
                AuditEntry.action.in_(HUMAN_ACTIONS),
                WorkItem.workspace_id == workspace_id,
            )
            .distinct()
            .limit(MAX_ROWS)
        )
    )
    return len(documents), len(documents - touched - waiting)


def _understood(session: Session, workspace_id: str, since: datetime) -> dict[str, float]:
    """type_confidence per document sha256 understood in the window."""
    understanding = WorkItem.payload["understanding"]
    rows = session.execute(
        select(
            understanding["document_sha256"].as_string(),
            understanding["type_confidence"].as_float(),
        )
        .where(
            WorkItem.workspace_id == workspace_id,
            WorkItem.updated_at >= since,
            understanding["document_sha256"].as_string().is_not(None),
        )
        .limit(MAX_ROWS)
    )
    return {sha: float(conf) for sha, conf in rows if sha and conf is not None}


def overrides(session: Session, since: datetime, documents: int) -> list[tuple[str, int, float]]:
    rows = session.execute(
        select(Correction.field_name, func.count(func.distinct(Correction.document_sha256)))
        .where(Correction.created_at >= since)
        .group_by(Correction.field_name)
        .order_by(func.count(func.distinct(Correction.document_sha256)).desc())
        .limit(20)
    ).all()
    return [(name, n, n / documents if documents else 1.0) for name, n in rows]


def timings(session: Session, workspace_id: str, since: datetime) -> list[StepTiming]:
    rows = session.execute(
        select(
            Process.name,
            ProcessStep.position,
            ProcessStep.name,
            WorkItem.reserved_at,
            WorkItem.released_at,
        )
        .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
        .join(Process, Process.id == ProcessStep.process_id)
        .where(
            WorkItem.workspace_id == workspace_id,
            WorkItem.released_at >= since,
            WorkItem.reserved_at.is_not(None),
        )
        .limit(MAX_ROWS)
    ).all()
    by_step: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    for process, position, step, reserved, released in rows:
        if released is not None and reserved is not None and released >= reserved:
            by_step[(process, position, step)].append((released - reserved).total_seconds())
    out = []
    for (process, _, step), values in sorted(by_step.items()):
        values.sort()
        out.append(
            StepTiming(
                process,
                step,
                len(values),
                charts.percentile(values, 50),
                charts.percentile(values, 95),
                charts.percentile(values, 99),
            )
        )
    return out


def baseline_histogram() -> tuple[tuple[list[float], list[int]] | None, str]:
    """The current classifier card's held-out confidence histogram (its bin edges and
    counts), or why there is none."""
    from clerk.errors import ApplicationError
    from clerk.registry import Registry

    try:
        _, card = Registry().current("classifier")
    except (ApplicationError, OSError, ValueError, TypeError) as exc:
        return None, f"no classifier model card ({exc})"
    found = bins.card_histogram(card.metrics)
    if found is None:
        return None, f"classifier {card.version} has no confidence histogram"
    return found, f"baseline: held-out set of classifier {card.version}"


def drift(confidences: list[float], threshold: float) -> Drift:
    found, note = baseline_histogram()
    edges, baseline = found if found is not None else (bins.bin_edges(), None)
    current = bins.histogram(confidences, edges)
    value = None
    if baseline is not None and sum(baseline) > 0 and confidences:
        value = charts.psi(baseline, current)
    elif baseline is not None:
        note += "; no documents classified in the window yet"
    return Drift(baseline, current, edges, value, threshold, note)


def build(
    session: Session, workspace_id: str, *, hours: int = 24, psi_threshold: float = 0.2
) -> Dashboard:
    now = utcnow()
    since = now - timedelta(hours=hours)
    understood = _understood(session, workspace_id, since)
    documents, stp = straight_through(session, workspace_id, since)
    open_failures = session.scalar(
        select(func.count()).where(
            WorkItem.workspace_id == workspace_id,
            WorkItem.state == ItemState.FAILED.value,
            WorkItem.rejected_at.is_(None),
        )
    )
    return Dashboard(
        hours=hours,
        throughput=throughput(session, workspace_id, since, hours),
        documents=documents,
        straight_through=stp,
        overrides=overrides(session, since, len(understood)),
        timings=timings(session, workspace_id, since),
        drift=drift(list(understood.values()), psi_threshold),
        open_failures=int(open_failures or 0),
    )


def chart_set(d: Dashboard) -> dict[str, charts.BarChart | None]:
    """The dashboard's SVG geometry: throughput, and baseline vs current confidence shares."""
    tp_values = [float(n) for _, n in d.throughput]
    tp_labels = [f"{at:%H}" for at, _ in d.throughput]
    tp_titles = [f"{at:%Y-%m-%d %H}:00 UTC: {n} completed" for at, n in d.throughput]
    out: dict[str, charts.BarChart | None] = {
        # Counts: at least 0..2 on the axis so ticks stay whole items.
        "throughput": charts.bar_chart(
            tp_values,
            tp_labels,
            titles=tp_titles,
            width=1000,
            height=170,
            scale_max=max([*tp_values, 2.0]),
        ),
        "baseline": None,
        "current": None,
    }
    labels = [f"{edge:.1f}" for edge in d.drift.edges[:-1]]
    current_total = sum(d.drift.current)
    current = [100 * c / current_total if current_total else 0.0 for c in d.drift.current]
    peak = max(current, default=0.0)
    baseline: list[float] = []
    if d.drift.baseline:
        total = sum(d.drift.baseline) or 1
        baseline = [100 * c / total for c in d.drift.baseline]
        peak = max(peak, *baseline)

    def titled(kind: str, shares: list[float]) -> list[str]:
        return [
            f"{kind} {lab}-{float(lab) + 0.1:.1f}: {v:.1f}%"
            for lab, v in zip(labels, shares, strict=True)
        ]

    if baseline:
        out["baseline"] = charts.bar_chart(
            baseline,
            labels,
            series=0,
            of=2,
            scale_max=peak,
            height=200,
            titles=titled("baseline", baseline),
        )
    out["current"] = charts.bar_chart(
        current,
        labels,
        series=1 if baseline else 0,
        of=2 if baseline else 1,
        scale_max=peak,
        height=200,
        titles=titled("last 24 h", current),
    )
    return out
