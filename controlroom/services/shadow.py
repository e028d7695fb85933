"""Agreement with reviewers of the current models and of a shadow candidate.

When a reviewer approves an item whose understanding carries a shadow reading
(``pipeline.shadow``), both readings are compared with what the reviewer left: the type, and
every flat field the reviewer's understanding has a value for. One ``ShadowAgreement``
row per approval; the dashboard sums them per candidate (``agreement_summary``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from clerk.documents import Understanding
from controlroom._console_models import ShadowAgreement


def record(
    session: Session, item_id: str, machine: Understanding, reviewed: Understanding
) -> ShadowAgreement | None:
    """Compare ``machine`` (as the models read it) and its shadow with ``reviewed`` (the
    reviewer's corrections applied); nothing without a usable shadow reading."""
    shadow = machine.shadow
    if not shadow or "error" in shadow or not isinstance(shadow.get("values"), dict):
        return None
    truth = {name: value for name, value in reviewed.values().items() if value}
    current = {f.name: f.value for f in machine.fields}
    candidate = shadow["values"]
    versions = shadow.get("model_versions") or {}
    row = ShadowAgreement(
        work_item_id=item_id,
        current_classifier=machine.model_versions.get("classifier", ""),
        current_extractor=machine.model_versions.get("extractor", ""),
        candidate_classifier=str(versions.get("classifier", "")),
        candidate_extractor=str(versions.get("extractor", "")),
        fields=len(truth),
        current_agreed=sum(current.get(name) == value for name, value in truth.items()),
        candidate_agreed=sum(candidate.get(name) == value for name, value in truth.items()),
        type_current_agreed=machine.doc_type == reviewed.doc_type,
        type_candidate_agreed=shadow.get("doc_type") == reviewed.doc_type,
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class Agreement:
    candidate_classifier: str
    candidate_extractor: str
    items: int
    fields: int
    current_agreed: int
    candidate_agreed: int
    type_current_agreed: int
    type_candidate_agreed: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def current_rate(self) -> float | None:
        return self._rate(self.current_agreed, self.fields)

    @property
    def candidate_rate(self) -> float | None:
        return self._rate(self.candidate_agreed, self.fields)

    @property
    def type_current_rate(self) -> float | None:
        return self._rate(self.type_current_agreed, self.items)

    @property
    def type_candidate_rate(self) -> float | None:
        return self._rate(self.type_candidate_agreed, self.items)


def agreement_summary(session: Session) -> list[Agreement]:
    """Sums per candidate pair, the most recently seen first."""
    stmt = (
        select(
            ShadowAgreement.candidate_classifier,
            ShadowAgreement.candidate_extractor,
            func.count(),
            func.sum(ShadowAgreement.fields),
            func.sum(ShadowAgreement.current_agreed),
            func.sum(ShadowAgreement.candidate_agreed),
            func.sum(cast(ShadowAgreement.type_current_agreed, Integer)),
            func.sum(cast(ShadowAgreement.type_candidate_agreed, Integer)),
            func.max(ShadowAgreement.created_at),
        )
        .group_by(ShadowAgreement.candidate_classifier, ShadowAgreement.candidate_extractor)
        .order_by(func.max(ShadowAgreement.created_at).desc())
    )
    return [
        Agreement(*(row[:2]), *(int(v or 0) for v in row[2:8])) for row in session.execute(stmt)
    ]
