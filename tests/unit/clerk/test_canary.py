"""Candidates, promotion (refused when held-out figures drop, unless forced) and rollback
in a registry on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clerk import canary
from clerk.registry import ModelCard, Registry


def _publish(
    registry: Registry,
    version: str,
    *,
    current: bool,
    comparison: dict[str, Any] | None = None,
    tmp: Path,
) -> ModelCard:
    kind = version.split("-")[0]
    folder = tmp / f"build-{version}"
    folder.mkdir()
    (folder / "model.bin").write_bytes(version.encode())
    metrics = {"comparison": comparison} if comparison is not None else {}
    card = ModelCard(kind, version, "d" * 64, "r", 7, version, metrics)
    return registry.publish(card, folder, make_current=current)


def _comparison(current: str, now: float, new: float) -> dict[str, Any]:
    return {
        "current_version": current,
        "corrections_sha256": "c" * 64,
        "heldout": {"metric": "accuracy", "current": now, "candidate": new, "n": 90},
    }


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    registry = Registry(tmp_path / "models")
    _publish(registry, "classifier-1", current=True, tmp=tmp_path)
    return registry


def test_a_candidate_is_published_without_becoming_current(
    registry: Registry, tmp_path: Path
) -> None:
    card = _publish(
        registry,
        "classifier-2",
        current=False,
        comparison=_comparison("classifier-1", 0.9, 0.92),
        tmp=tmp_path,
    )
    assert canary.candidate(registry, "classifier") is None  # not named yet
    canary.mark_candidate(registry, card)
    assert registry.current_version("classifier") == "classifier-1"
    found = canary.candidate(registry, "classifier")
    assert found is not None and found.version == "classifier-2"
    assert canary.candidate(registry, "extractor") is None


def test_promote_then_rollback_returns_to_the_previous_model(
    registry: Registry, tmp_path: Path
) -> None:
    card = _publish(
        registry,
        "classifier-2",
        current=False,
        comparison=_comparison("classifier-1", 0.9, 0.9),  # equal is no drop
        tmp=tmp_path,
    )
    canary.mark_candidate(registry, card)
    change = canary.promote(registry, "classifier-2")
    assert (change.previous, change.current, change.forced) == (
        "classifier-1",
        "classifier-2",
        False,
    )
    assert registry.current_version("classifier") == "classifier-2"
    assert canary.candidate(registry, "classifier") is None  # promoted: no longer on trial
    assert canary.history(registry, "classifier") == ["classifier-1"]
    with pytest.raises(canary.CanaryError) as again:
        canary.promote(registry, "classifier-2")
    assert again.value.code == "ALREADY_CURRENT"

    back = canary.rollback(registry)
    assert (back.kind, back.previous, back.current) == (
        "classifier",
        "classifier-2",
        "classifier-1",
    )
    assert registry.current_version("classifier") == "classifier-1"
    with pytest.raises(canary.CanaryError) as nothing:
        canary.rollback(registry)
    assert nothing.value.code == "NOTHING_TO_ROLL_BACK"


def test_a_promotion_that_lowers_held_out_accuracy_is_refused_unless_forced(
    registry: Registry, tmp_path: Path
) -> None:
    _publish(
        registry,
        "classifier-2",
        current=False,
        comparison=_comparison("classifier-1", 0.93, 0.91),
        tmp=tmp_path,
    )
    with pytest.raises(canary.CanaryError) as refused:
        canary.promote(registry, "classifier-2")
    assert refused.value.code == "PROMOTION_REFUSED"
    assert "lowers held-out accuracy from 0.9300 to 0.9100" in refused.value.message
    assert "--force" in refused.value.message
    assert registry.current_version("classifier") == "classifier-1"  # nothing changed
    assert canary.history(registry, "classifier") == []

    forced = canary.promote(registry, "classifier-2", force=True)
    assert forced.forced and "lowers held-out accuracy" in forced.reason
    assert registry.current_version("classifier") == "classifier-2"


@pytest.mark.parametrize(
    ("comparison", "why"),
    [
        (None, "has no comparison with the current model"),
        (_comparison("classifier-0", 0.9, 0.95), "was compared with classifier-0"),
        ({"current_version": "classifier-1", "heldout": {}}, "has no held-out figures"),
    ],
)
def test_promotion_without_a_valid_comparison_is_refused(
    registry: Registry, tmp_path: Path, comparison: dict[str, Any] | None, why: str
) -> None:
    _publish(registry, "classifier-2", current=False, comparison=comparison, tmp=tmp_path)
    with pytest.raises(canary.CanaryError, match=why):
        canary.promote(registry, "classifier-2")


def test_unknown_versions_and_ambiguous_rollbacks_are_clear_errors(
    registry: Registry, tmp_path: Path
) -> None:
    with pytest.raises(canary.CanaryError) as unknown:
        canary.promote(registry, "classifier-9")
    assert unknown.value.code == "UNKNOWN_VERSION" and "clerk models list" in unknown.value.message
    with pytest.raises(canary.CanaryError) as kind:
        canary.promote(registry, "nonsense")
    assert kind.value.code == "UNKNOWN_VERSION"
    _publish(registry, "extractor-1", current=True, tmp=tmp_path)
    _publish(registry, "classifier-2", current=False, tmp=tmp_path)
    _publish(registry, "extractor-2", current=False, tmp=tmp_path)
    canary.promote(registry, "classifier-2", force=True)
    canary.promote(registry, "extractor-2", force=True)
    with pytest.raises(canary.CanaryError) as both:
        canary.rollback(registry)
    assert both.value.code == "AMBIGUOUS_ROLLBACK"
    assert canary.rollback(registry, "extractor").current == "extractor-1"
    assert canary.rollback(registry).current == "classifier-1"  # the only one left
