"""One small classifier, built once per session from the real corpus (a few seconds)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from clerk.registry import ModelCard, Registry

SEED = 11
N_TRAIN = 240  # 40 documents per type: enough for a usable model, quick to build


@dataclass(frozen=True)
class Built:
    registry: Registry
    card: ModelCard
    seed: int = SEED
    n_train: int = N_TRAIN


_BUILT: list[Built] = []


def small_model(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build once per session, whichever test folder asks first (tests/unit/clerk too)."""
    if not _BUILT:
        from classifiers.training import build

        registry = Registry(tmp_path_factory.mktemp("models"))
        stages: list[tuple[str, float]] = []
        card = build(registry, SEED, lambda s, f: stages.append((s, f)), n_train=N_TRAIN)
        assert stages[0] == ("generating corpus", 0.0) and stages[-1] == ("done", 1.0)
        assert [f for _, f in stages] == sorted(f for _, f in stages)
        _BUILT.append(Built(registry, card))
    return _BUILT[0]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return small_model(tmp_path_factory)


@pytest.fixture
def registry_copy(built: Built, tmp_path: Path) -> Registry:
    """A private copy of the session registry, for tests that change it."""
    import shutil

    shutil.copytree(built.registry.root, tmp_path / "models")
    return Registry(tmp_path / "models")
