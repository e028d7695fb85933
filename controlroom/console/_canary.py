"""The dashboard's canary panel: each candidate's agreement with reviewers against the
current models' (``controlroom.services.shadow``), the candidates on trial with their
cards' comparison, and whether a promotion can be rolled back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from clerk import canary
from clerk.registry import Registry
from controlroom.services.shadow import Agreement, agreement_summary
from pipeline.shadow import enabled


@dataclass(frozen=True)
class Candidate:
    kind: str
    version: str
    current: str | None
    heldout: dict[str, Any]
    corrections: dict[str, Any]
    refusal: str  # why a promotion would be refused ("" when it would not)


@dataclass(frozen=True)
class CanaryPanel:
    agreements: list[Agreement]
    candidates: list[Candidate]
    rollback_kinds: list[str]  # kinds with a promotion to undo
    shadow_on: bool
    problem: str = ""  # the registry could not be read


def panel(session: Session, registry: Registry | None = None) -> CanaryPanel:
    agreements = agreement_summary(session)
    try:
        shadow_on = enabled()
        problem = ""
    except ValueError as exc:
        shadow_on, problem = False, str(exc)
    registry = registry if registry is not None else Registry()
    candidates: list[Candidate] = []
    for kind in canary.KINDS:
        card = canary.candidate(registry, kind)
        if card is None:
            continue
        comparison = card.metrics.get("comparison") or {}
        current = registry.current_version(kind)
        candidates.append(
            Candidate(
                kind,
                card.version,
                current,
                comparison.get("heldout") or {},
                comparison.get("corrections") or {},
                canary.refusal(card, current),
            )
        )
    rollback = [kind for kind in canary.KINDS if canary.history(registry, kind)]
    return CanaryPanel(agreements, candidates, rollback, shadow_on, problem)
