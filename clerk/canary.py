"""Candidates, promotion and rollback in the model registry: the canary's rules.

A model retrained from reviewers' corrections (``clerk models build --with-corrections``)
is published as a **candidate**: its folder is in the registry and ``<kind>/CANDIDATE``
names it, but ``CURRENT`` does not move, so no worker uses it to decide anything. Its
card holds a ``comparison`` with the current model, measured on the same data:

    {"current_version": "...", "corrections_sha256": "...",
     "heldout":     {"metric": "accuracy", "current": 0.95, "candidate": 0.96, "n": 180},
     "corrections": {"metric": "...", "current": 0.5, "candidate": 0.9, "n": 12}, ...}

``promote`` makes a version current and remembers the one it replaces in
``<kind>/HISTORY``; it refuses (``PROMOTION_REFUSED``) a version whose comparison shows a
lower held-out figure than the current model's, a version without a comparison, or one
compared with another model than the one now current, unless forced. ``rollback`` makes
the last replaced version current again. Workers read ``CURRENT`` (``Registry.current``)
and reload when it changes (``pipeline.understander.Understander.is_stale``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from clerk.registry import ModelCard, Registry

KINDS = ("classifier", "extractor")
CANDIDATE = "CANDIDATE"
HISTORY = "HISTORY"


class CanaryError(Exception):
    """A refused promotion or rollback: a stable code and a sentence for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Change:
    """What a promotion or rollback did, for the audit log and the caller's message."""

    action: str  # "promote" | "rollback"
    kind: str
    previous: str | None
    current: str
    forced: bool = False
    reason: str = ""  # why a forced promotion would have been refused

    def audit(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "previous": self.previous,
            "current": self.current,
            "forced": self.forced,
            "refusal_overridden": self.reason or None,
        }


def kind_of(version: str) -> str:
    """The kind a version belongs to: versions are named ``<kind>-<stamp>-<hash>``."""
    for kind in KINDS:
        if version.startswith(kind + "-"):
            return kind
    raise CanaryError(
        "UNKNOWN_VERSION",
        f"{version!r} is not a model version (they start with {' or '.join(KINDS)}-); "
        "see `clerk models list`",
    )


def _read(registry: Registry, kind: str, name: str) -> list[str]:
    path = registry.root / kind / name
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def _write(registry: Registry, kind: str, name: str, lines: list[str]) -> None:
    path = registry.root / kind / name
    if not lines:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(line + "\n" for line in lines))
    os.replace(tmp, path)


def mark_candidate(registry: Registry, card: ModelCard) -> None:
    """Name a published (not current) version as its kind's candidate."""
    registry.card(card.kind, card.version)  # it must be there
    _write(registry, card.kind, CANDIDATE, [card.version])


def candidate(registry: Registry, kind: str) -> ModelCard | None:
    """The kind's candidate on trial, if any (a promoted or vanished one is none)."""
    names = _read(registry, kind, CANDIDATE)
    if not names or names[0] == registry.current_version(kind):
        return None
    try:
        return registry.card(kind, names[0])
    except LookupError:
        return None


def history(registry: Registry, kind: str) -> list[str]:
    return _read(registry, kind, HISTORY)


def refusal(card: ModelCard, current: str | None) -> str:
    """Why promoting ``card`` over the version ``current`` is unsafe, or "" when it is not."""
    comparison = card.metrics.get("comparison")
    if not isinstance(comparison, dict):
        return (
            f"{card.version} has no comparison with the current model in its card "
            "(it was not built with --with-corrections), so nothing shows it is not worse"
        )
    if comparison.get("current_version") != current:
        return (
            f"{card.version} was compared with {comparison.get('current_version')}, "
            f"but the current {card.kind} is now {current}; build a new candidate"
        )
    heldout = comparison.get("heldout") or {}
    now, new = heldout.get("current"), heldout.get("candidate")
    if not isinstance(now, int | float) or not isinstance(new, int | float):
        return f"{card.version}'s comparison has no held-out figures"
    if new < now:
        return (
            f"{card.version} lowers held-out {heldout.get('metric', 'accuracy')} from "
            f"{now:.4f} to {new:.4f}"
        )
    return ""


def promote(registry: Registry, version: str, *, force: bool = False) -> Change:
    """Make ``version`` current, remembering the one it replaces; see the module's rules."""
    kind = kind_of(version)
    try:
        card = registry.card(kind, version)
    except LookupError as exc:
        raise CanaryError("UNKNOWN_VERSION", str(exc)) from exc
    current = registry.current_version(kind)
    if current == version:
        raise CanaryError("ALREADY_CURRENT", f"{version} is already the current {kind}")
    why = refusal(card, current)
    if why and not force:
        raise CanaryError(
            "PROMOTION_REFUSED",
            f"promotion refused: {why}; promote anyway with --force (console: Force)",
        )
    if current is not None:
        _write(registry, kind, HISTORY, [*history(registry, kind), current])
    registry.set_current(kind, version)
    if _read(registry, kind, CANDIDATE) == [version]:
        _write(registry, kind, CANDIDATE, [])
    return Change("promote", kind, current, version, forced=force and bool(why), reason=why)


def rollback(registry: Registry, kind: str | None = None) -> Change:
    """Make the version the last promotion replaced current again. Without ``kind``,
    the only kind with a promotion to undo (both: name one)."""
    kinds = [kind] if kind else [k for k in KINDS if history(registry, k)]
    if kind is not None and kind not in KINDS:
        raise CanaryError("UNKNOWN_KIND", f"no model kind {kind!r}; use {' or '.join(KINDS)}")
    if len(kinds) > 1:
        raise CanaryError(
            "AMBIGUOUS_ROLLBACK",
            f"both {' and '.join(kinds)} have promotions to undo; name the kind",
        )
    previous = history(registry, kinds[0]) if kinds else []
    if not previous:
        raise CanaryError(
            "NOTHING_TO_ROLL_BACK",
            f"no promotion to undo in {registry.root}"
            + (f" for the {kind}" if kind else "")
            + "; `clerk models use KIND VERSION` picks any version",
        )
    target = previous[-1]
    chosen = kinds[0]
    now = registry.current_version(chosen)
    registry.set_current(chosen, target)
    _write(registry, chosen, HISTORY, previous[:-1])
    return Change("rollback", chosen, now, target)
