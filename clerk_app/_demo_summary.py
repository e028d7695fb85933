"""What a demo run did, read back from the Control Room and the sandbox ledgers.

Figures:
- documents by type and decision: every understood document is either an output of the
  Understand step (auto) or a Understand item that failed NEEDS_REVIEW (review; its
  payload holds the understanding);
- entered: ERP documents and CMS drafts whose note names one of this run's items
  (``clerk item <id>``), read from the sandbox's ledgers, not from the robots' word;
- failed items by step, type and code;
- time per step: p50/p95 of each item's reserve-to-release time, and the step's span.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clerk_app._demo import DemoStack


@dataclass(frozen=True)
class StepTiming:
    step: str
    items: int
    p50_s: float
    p95_s: float
    span_s: float  # first reservation to last release


@dataclass
class Summary:
    run_id: str
    state: str
    wall_s: float
    documents_by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    erp_entered: list[dict[str, str]] = field(default_factory=list)
    cms_drafts: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    items_by_step: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: list[StepTiming] = field(default_factory=list)
    console_url: str = ""
    lost: int = 0  # items neither COMPLETED nor FAILED after the run ended

    def failed_by_code(self) -> Counter[tuple[str, str, str]]:
        return Counter((f["step"], f["type"], f["code"]) for f in self.failed)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed_by_code"] = [
            {"step": s, "type": t, "code": c, "items": n}
            for (s, t, c), n in sorted(self.failed_by_code().items())
        ]
        return data


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def items_of_run(stack: DemoStack, run_id: str) -> list[tuple[Any, str, int]]:
    """(item, step name, step position) for every item of the run."""
    from sqlalchemy import select

    from controlroom.models import ProcessStep, WorkItem

    assert stack.sessions is not None
    with stack.sessions() as s:
        rows = s.execute(
            select(WorkItem, ProcessStep.name, ProcessStep.position)
            .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
            .where(WorkItem.process_run_id == run_id)
            .order_by(WorkItem.created_at)
        ).all()
        for item, _, _ in rows:
            s.expunge(item)
    return [(i, n, p) for i, n, p in rows]


def progress(stack: DemoStack, run_id: str) -> dict[str, Counter[str]]:
    """Item states per step name, in step order."""
    counts: dict[str, Counter[str]] = {}
    for item, step, _ in sorted(items_of_run(stack, run_id), key=lambda r: r[2]):
        counts.setdefault(step, Counter())[item.state] += 1
    return counts


def _doc_type(payload: Any) -> str | None:
    if isinstance(payload, dict) and isinstance(payload.get("understanding"), dict):
        return str(payload["understanding"].get("doc_type"))
    return None


def _ledger_entries(stack: DemoStack, item_ids: set[str]) -> tuple[list[Any], list[Any]]:
    from sandbox.faults import read_ledger

    assert stack.sandbox is not None
    erp = read_ledger(stack.sandbox.erp.url, stack.admin_token)
    cms = read_ledger(stack.sandbox.cms.url, stack.admin_token)

    def ours(doc: dict[str, Any]) -> bool:
        note = str(doc.get("note") or doc.get("change_note") or "")
        return note.removeprefix("clerk item ") in item_ids

    erp_docs = [d for kind in ("invoices", "purchase_orders") for d in erp.get(kind, [])]
    cms_docs = [d for kind in ("drafts",) for d in cms.get(kind, [])]
    return [d for d in erp_docs if ours(d)], [d for d in cms_docs if ours(d)]


def summarize(stack: DemoStack, run_id: str, wall_s: float) -> Summary:
    rows = items_of_run(stack, run_id)
    summary = Summary(run_id, stack.run_state(run_id), wall_s, console_url=stack.console_url)
    by_type: dict[str, Counter[str]] = {}
    times: dict[str, list[float]] = {}
    spans: dict[str, list[Any]] = {}
    order: dict[str, int] = {}
    for item, step, position in rows:
        order[step] = position
        summary.items_by_step.setdefault(step, {})
        summary.items_by_step[step][item.state] = summary.items_by_step[step].get(item.state, 0) + 1
        if item.state not in ("COMPLETED", "FAILED"):
            summary.lost += 1
        if item.reserved_at and item.released_at:
            times.setdefault(step, []).append((item.released_at - item.reserved_at).total_seconds())
            spans.setdefault(step, []).extend([item.reserved_at, item.released_at])
        doc_type = _doc_type(item.payload)
        if position == 3 and doc_type:  # an output of Understand: an auto document
            by_type.setdefault(doc_type, Counter())["auto"] += 1
        if item.state == "FAILED":
            if position == 2 and item.exception_code == "NEEDS_REVIEW" and doc_type:
                by_type.setdefault(doc_type, Counter())["review"] += 1
            name = (item.payload or {}).get("document", {}).get("name", "?")
            summary.failed.append({
                "step": step, "type": item.exception_type, "code": item.exception_code,
                "document": name, "item": item.id, "message": item.exception_message,
            })  # fmt: skip
    summary.documents_by_type = {t: dict(c) for t, c in sorted(by_type.items())}
    for step in sorted(times, key=lambda s: order[s]):
        values = times[step]
        span = (max(spans[step]) - min(spans[step])).total_seconds()
        summary.timings.append(
            StepTiming(step, len(values), percentile(values, 50), percentile(values, 95), span)
        )
    erp, cms = _ledger_entries(stack, {str(i.id) for i, _, _ in rows})
    summary.erp_entered = [_entry(d) for d in erp]
    summary.cms_drafts = [_entry(d) for d in cms]
    return summary


def _entry(doc: dict[str, Any]) -> dict[str, str]:
    keep = ("document_number", "draft_number", "kind", "reference", "vendor_name", "total",
            "currency", "sku", "title", "price", "note")  # fmt: skip
    return {k: str(doc[k]) for k in keep if k in doc}
