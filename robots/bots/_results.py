"""What a bot hands back: the entry's result, or on failure the artifacts for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class EntryResult:
    document_number: str
    created: bool


@dataclass
class Artifacts:
    """What a failed item leaves for the person who looks at it."""

    screenshot: Path | None = None
    traces: list[Path] = field(default_factory=list)


def artifacts_of(exc: BaseException) -> Artifacts | None:
    """The screenshot and traces attached to a bot's error, if any."""
    found = getattr(exc, "artifacts", None)
    return found if isinstance(found, Artifacts) else None
