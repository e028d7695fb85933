"""``clerk models`` against a real (small) classifier built once per session.

The group is invoked directly (not through ``clerk_app.cli``) so that another package's
broken command cannot fail these tests."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk.registry import ModelCard, Registry
from clerk_app.models_cli import app
from tests.unit.classifiers.conftest import Built, small_model

runner = CliRunner()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return small_model(tmp_path_factory)


@pytest.fixture
def models(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Registry:
    shutil.copytree(built.registry.root, tmp_path / "models")
    monkeypatch.setenv("CLERK_MODELS_DIR", str(tmp_path / "models"))
    return Registry(tmp_path / "models")


def _second_version(registry: Registry) -> str:
    """Publish a copy of the current classifier under another version name."""
    folder, card = registry.current("classifier")
    other = ModelCard(**{**card.__dict__, "version": card.version + "-b", "created_at": "9999"})
    staging = folder.parent.parent / "staging"
    shutil.copytree(folder, staging)
    registry.publish(other, staging)
    return other.version


def test_list_json_marks_current_with_key_metrics(models: Registry, built: Built) -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["kind"], r["version"], r["current"]) for r in rows] == [
        ("classifier", built.card.version, True)
    ]
    assert rows[0]["metrics"]["accuracy"] == built.card.metrics["accuracy"]
    assert set(rows[0]["metrics"]) >= {"accuracy", "macro_f1", "ece", "accuracy_noised"}


def test_list_table_and_empty_registry(
    models: Registry,
    built: Built,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = runner.invoke(app, ["list"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert built.card.version in result.output
    assert f"accuracy {built.card.metrics['accuracy']:.4f}" in result.output
    monkeypatch.setenv("CLERK_MODELS_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0 and "run `clerk models build`" in result.output


def test_use_switches_current_and_refuses_unknown(models: Registry, built: Built) -> None:
    other = _second_version(models)
    assert models.current_version("classifier") == other
    result = runner.invoke(app, ["use", "classifier", built.card.version])
    assert result.exit_code == 0, result.output
    assert models.current_version("classifier") == built.card.version
    result = runner.invoke(app, ["use", "classifier", "nope"])
    assert result.exit_code == 1
    assert "no classifier version 'nope'" in result.output
    assert models.current_version("classifier") == built.card.version


def test_card_prints_current_or_named_version(models: Registry, built: Built) -> None:
    result = runner.invoke(app, ["card", "classifier", "--json"])
    assert result.exit_code == 0, result.output
    assert ModelCard(**json.loads(result.output)) == built.card
    other = _second_version(models)
    result = runner.invoke(app, ["card", "classifier", built.card.version, "--json"])
    assert json.loads(result.output)["version"] == built.card.version != other
    result = runner.invoke(app, ["card", "classifier", "nope"])
    assert result.exit_code == 1 and "no classifier version 'nope'" in result.output
    result = runner.invoke(app, ["card", "extractor"])
    assert result.exit_code == 1 and "MODEL_MISSING" in result.output


def test_card_reads_as_a_model_card(
    models: Registry, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["card", "classifier"])
    assert result.exit_code == 0, result.output
    text = result.output
    headings = ["Intended use", "Training data", "Metrics", "Limitations", "Version and hashes"]
    assert [h for h in headings if f"\n{h}" in text] == headings
    assert text.index("Intended use") < text.index("Limitations") < text.index("Version")
    assert "Synthetic." in text and "no real customer document" in text
    assert f"{built.card.metrics['accuracy']:.4f}" in text
    for value in (built.card.version, built.card.data_hash, built.card.files_hash):
        assert value in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "{" not in text  # not JSON


def test_build_says_up_to_date_then_rebuilds_when_forced(models: Registry, built: Built) -> None:
    args = ["build", "--only", "classifier", "--seed", str(built.seed)]
    args += ["--n-train", str(built.n_train)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"classifier: up to date ({built.card.version})" in result.output
    assert len(models.versions("classifier")) == 1

    result = runner.invoke(app, [*args, "--force"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    new = models.current_version("classifier")
    assert new != built.card.version
    assert f"classifier: published {new}" in result.output
    assert "Held-out metrics" in result.output and "macro_f1" in result.output


def test_build_skips_a_kind_whose_trainer_is_missing(
    models: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "extractors.training.train", None)  # import -> ImportError
    result = runner.invoke(app, ["build", "--only", "extractor"])
    assert result.exit_code == 0, result.output
    assert "extractor: skipped" in result.output and "not installed yet" in result.output


def test_key_metrics_reads_nested_paths_and_skips_missing() -> None:
    from clerk_app.models_cli import _key_metrics

    card = ModelCard(
        "extractor",
        "v1",
        "h",
        "r",
        1,
        "t",
        metrics={"test_clean": {"exact_match_overall": 0.91}, "ece": True, "accuracy": "n/a"},
    )
    assert _key_metrics(card) == {"exact_match": 0.91}
