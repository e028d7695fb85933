"""The canary end to end on small real models: candidates built from corrections in a
temporary registry (the small classifier and extractor the unit tests share), their
cards' comparison, the shadow reading beside the current models, and promotion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import corpus
from clerk import canary
from clerk.corrections import corrections_hash, documents, split
from clerk.registry import ModelCard, Registry
from clerk_app._retrain import build_candidates
from extractors.ner.data import document_from_text
from tests.unit.classifiers.conftest import N_TRAIN, SEED, small_model
from tests.unit.extractors.ner_support import SMALL, trained_registry

pytestmark = pytest.mark.slow  # trains a small classifier and extractor (about a minute)


def correction_records(n: int = 10) -> list[dict[str, Any]]:
    """What reviewers would have left on ``n`` documents: two fields each set to the
    truth, and on one document the type corrected, each record with the text."""
    samples = corpus.generate(n, 23, doc_types=["invoice", "receipt", "purchase_order"])
    records: list[dict[str, Any]] = []
    for i, sample in enumerate(samples):
        sha = f"{i:064x}"
        flat = [(k, v) for k, v in sorted(sample.truth.items()) if "." not in k][:2]
        for name, value in flat:
            records.append(
                {
                    "document_sha256": sha,
                    "doc_type": sample.doc_type if i else "other",  # the machine's type
                    "field": name,
                    "original_value": None,
                    "corrected_value": value,
                    "reviewer": "rita",
                    "text": sample.text,
                }
            )
    records.append({**records[0], "field": "doc_type", "corrected_value": samples[0].doc_type})
    return records


@pytest.fixture(scope="module")
def current_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry folder holding the small current classifier and extractor."""
    classifier = small_model(tmp_path_factory)
    extractor_registry, _ = trained_registry()
    root = tmp_path_factory.mktemp("canary") / "models"
    shutil.copytree(classifier.registry.root, root)
    shutil.copytree(extractor_registry.root / "extractor", root / "extractor")
    return root


@pytest.fixture(scope="module")
def built(
    current_models: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Registry, list[ModelCard]]:
    """A copy of ``current_models`` with a candidate of each kind."""
    root = tmp_path_factory.mktemp("canary-built") / "models"
    shutil.copytree(current_models, root)
    registry = Registry(root)
    cards = build_candidates(
        registry,
        correction_records(),
        SEED,
        ["classifier", "extractor"],
        n_train=N_TRAIN,
        extractor_params=SMALL,
    )
    return registry, cards


def test_candidates_are_registered_beside_the_current_models(
    built: tuple[Registry, list[ModelCard]],
) -> None:
    registry, cards = built
    records = correction_records()
    for card in cards:
        current = registry.current(card.kind)[1]
        assert current.version != card.version  # not promoted
        on_trial = canary.candidate(registry, card.kind)
        assert on_trial is not None and on_trial.version == card.version
        assert card.params["status"] == "candidate"
        comparison = card.metrics["comparison"]
        assert comparison["current_version"] == current.version
        assert comparison["corrections_sha256"] == corrections_hash(records)
        for part in ("heldout", "corrections"):
            for who in ("current", "candidate"):
                assert 0.0 <= comparison[part][who] <= 1.0, (card.kind, part, who)


def test_the_comparison_measures_the_current_model_on_its_own_held_out_set(
    built: tuple[Registry, list[ModelCard]],
) -> None:
    """Same seed and sizes: the current model's figure in the comparison is the one its
    own card reports, so both models were measured on the same documents."""
    registry, cards = built
    by_kind = {c.kind: c for c in cards}
    classifier = registry.current("classifier")[1]
    heldout = by_kind["classifier"].metrics["comparison"]["heldout"]
    assert heldout["current"] == classifier.metrics["accuracy"]
    assert heldout["candidate"] == by_kind["classifier"].metrics["accuracy"]
    extractor = registry.current("extractor")[1]
    heldout = by_kind["extractor"].metrics["comparison"]["heldout"]
    assert heldout["current"] == extractor.metrics["test_clean"]["exact_match_overall"]


def test_held_back_corrections_are_counted_and_trained_ones_labelled(
    built: tuple[Registry, list[ModelCard]],
) -> None:
    _, cards = built
    train, held = split(documents(correction_records()), SEED)
    by_kind = {c.kind: c for c in cards}
    corrections = by_kind["extractor"].metrics["comparison"]["corrections"]
    assert corrections["n"] == sum(len(d.values) for d in held)
    examples = by_kind["extractor"].metrics["comparison"]["training_examples"]
    assert examples["documents"] == len(train) and examples["found"] > 0
    assert examples["found"] + examples["not_found"] + examples["unknown_field"] == sum(
        len(d.values) for d in train
    )
    classifier = by_kind["classifier"].metrics["comparison"]
    assert classifier["corrections"]["n"] == len(held)
    assert classifier["training_examples"]["texts"] == len(train)


def test_the_shadow_reads_with_the_candidates_and_decides_nothing(
    built: tuple[Registry, list[ModelCard]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.understander import Understander

    registry, cards = built
    sample = corpus.generate(3, 31, doc_types=["invoice"], split="test")[0]
    document = document_from_text(sample.text, "invoice.txt")
    monkeypatch.delenv("CLERK_SHADOW_CANDIDATE", raising=False)
    plain = Understander.load(registry)
    assert plain.shadow is None
    monkeypatch.setenv("CLERK_SHADOW_CANDIDATE", "1")
    shadowed = Understander.load(registry)
    assert shadowed.shadow is not None
    assert not shadowed.is_stale(registry)
    alone, beside = plain.understand(document), shadowed.understand(document)
    assert alone.shadow is None and beside.shadow is not None
    assert beside.shadow["model_versions"] == {c.kind: c.version for c in cards}
    assert beside.shadow["doc_type"] in ("invoice", "receipt", "purchase_order", "other")
    assert isinstance(beside.shadow["values"], dict)
    # the decision and everything it rests on are the current models' alone
    assert (beside.decision, beside.reasons, beside.fields, beside.doc_type) == (
        alone.decision,
        alone.reasons,
        alone.fields,
        alone.doc_type,
    )
    assert beside.model_versions == alone.model_versions
    monkeypatch.setenv("CLERK_SHADOW_CANDIDATE", "maybe")
    with pytest.raises(ValueError, match="CLERK_SHADOW_CANDIDATE='maybe'"):
        Understander.load(registry)


def test_cli_builds_a_candidate_from_a_file_and_promotion_is_audited(
    current_models: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clerk_app.models_cli import app
    from pipeline.understander import Understander

    root = tmp_path / "models"
    shutil.copytree(current_models, root)
    monkeypatch.setenv("CLERK_MODELS_DIR", str(root))
    monkeypatch.setenv("CLERK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLERK_SHADOW_CANDIDATE", "1")
    file = tmp_path / "corrections.jsonl"
    file.write_text("".join(json.dumps(r) + "\n" for r in correction_records()))
    runner = CliRunner()
    args = ["build", "--with-corrections", "--corrections", str(file), "--only", "classifier"]
    result = runner.invoke(app, [*args, "--n-train", str(N_TRAIN), "--seed", str(SEED)])
    assert result.exit_code == 0, result.output
    ours = Registry(root)
    card = canary.candidate(ours, "classifier")
    assert card is not None and f"candidate {card.version} (not in use)" in result.output
    assert "heldout" in result.output and "corrections" in result.output
    listed = json.loads(runner.invoke(app, ["list", "--json"]).output)
    assert [r["version"] for r in listed if r["candidate"]] == [card.version]
    worker = Understander.load(ours)
    before = ours.current_version("classifier")

    heldout = card.metrics["comparison"]["heldout"]
    promoted = runner.invoke(app, ["promote", card.version])
    if heldout["candidate"] < heldout["current"]:
        assert promoted.exit_code == 1 and "promotion refused" in promoted.output
        promoted = runner.invoke(app, ["promote", card.version, "--force"])
    assert promoted.exit_code == 0, promoted.output
    assert ours.current_version("classifier") == card.version
    assert worker.is_stale(ours)  # a worker sees the promotion and loads again
    rolled = runner.invoke(app, ["rollback"])
    assert rolled.exit_code == 0, rolled.output
    assert ours.current_version("classifier") == before

    from sqlalchemy import select

    from controlroom import db
    from controlroom.models import AuditEntry
    from controlroom.settings import ControlRoomSettings

    engine = db.make_engine(ControlRoomSettings().database_url)
    with db.transaction(db.make_sessionmaker(engine)) as session:
        query = select(AuditEntry).where(AuditEntry.entity == "model").order_by(AuditEntry.seq)
        entries = list(session.scalars(query))
        assert [(e.action, e.entity_id) for e in entries] == [
            ("model.promote", card.version),
            ("model.rollback", before),
        ]
        assert entries[0].before == {"kind": "classifier", "current": before}
    engine.dispose()

    bad = runner.invoke(app, ["build", "--with-corrections", "--corrections", str(tmp_path / "x")])
    assert bad.exit_code == 1 and "cannot read corrections file" in bad.output
