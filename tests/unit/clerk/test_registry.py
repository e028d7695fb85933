import json
from dataclasses import replace
from pathlib import Path

import pytest

from clerk.errors import ApplicationError
from clerk.registry import ModelCard, Registry, files_hash, new_version, now_iso, source_hash


def _card(version: str, data_hash: str = "a" * 64, recipe: str = "r/1") -> ModelCard:
    return ModelCard(
        kind="classifier",
        version=version,
        data_hash=data_hash,
        recipe=recipe,
        seed=7,
        created_at=now_iso(),
        metrics={"accuracy": 0.9},
        params={"C": 1.0},
    )


def _build_folder(tmp_path: Path, name: str, payload: str) -> Path:
    folder = tmp_path / "builds" / name
    folder.mkdir(parents=True)
    (folder / "model.bin").write_text(payload)
    return folder


def test_empty_registry_has_no_current_and_says_how_to_fix(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    assert registry.current_version("classifier") is None
    assert registry.versions("classifier") == []
    assert not registry.is_current("classifier", "a" * 64, "r/1")
    with pytest.raises(ApplicationError) as info:
        registry.current("classifier")
    assert info.value.code == "MODEL_MISSING"
    assert "clerk models build" in info.value.message


def test_publish_copies_files_writes_card_and_makes_current(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    card = _card("classifier-1")
    published = registry.publish(card, _build_folder(tmp_path, "one", "weights-1"))
    target = tmp_path / "models" / "classifier" / "classifier-1"
    assert (target / "model.bin").read_text() == "weights-1"
    assert json.loads((target / "card.json").read_text())["metrics"] == {"accuracy": 0.9}
    folder, current = registry.current("classifier")
    assert folder == target
    assert current == published == replace(card, files_hash=files_hash(target))
    # no staging folders are left behind
    names = {p.name for p in (tmp_path / "models" / "classifier").iterdir()}
    assert names == {"classifier-1", "CURRENT"}


def test_is_current_compares_data_hash_and_recipe(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    registry.publish(_card("v1", data_hash="b" * 64), _build_folder(tmp_path, "v1", "x"))
    assert registry.is_current("classifier", "b" * 64, "r/1")
    assert not registry.is_current("classifier", "c" * 64, "r/1")
    assert not registry.is_current("classifier", "b" * 64, "r/2")
    assert not registry.is_current("extractor", "b" * 64, "r/1")


def test_versions_are_sorted_by_creation_and_use_switches_current(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    old = replace(_card("v-old"), created_at="2026-01-01T00:00:00+00:00")
    new = replace(_card("v-new"), created_at="2026-02-01T00:00:00+00:00")
    registry.publish(new, _build_folder(tmp_path, "new", "2"))
    registry.publish(old, _build_folder(tmp_path, "old", "1"))
    assert [c.version for c in registry.versions("classifier")] == ["v-old", "v-new"]
    assert registry.current_version("classifier") == "v-old"  # the last published
    registry.set_current("classifier", "v-new")
    assert registry.current("classifier")[1].version == "v-new"
    assert (tmp_path / "models" / "classifier" / "CURRENT").read_text() == "v-new\n"


def test_set_current_refuses_an_unknown_version(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    registry.publish(_card("v1"), _build_folder(tmp_path, "v1", "x"))
    with pytest.raises(ValueError, match="no classifier version 'nope'"):
        registry.set_current("classifier", "nope")
    assert registry.current_version("classifier") == "v1"


def test_card_round_trips_through_json(tmp_path: Path) -> None:
    card = _card("v1")
    card.write(tmp_path)
    assert ModelCard.read(tmp_path) == card


def test_default_root_follows_clerk_models_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLERK_MODELS_DIR", str(tmp_path / "elsewhere"))
    assert Registry().root == tmp_path / "elsewhere"


def test_new_version_names_kind_time_and_data(tmp_path: Path) -> None:
    version = new_version("classifier", "0123456789abcdef" * 4)
    kind, stamp, short = version.split("-")
    assert kind == "classifier"
    assert len(stamp) == len("20260101T000000Z") and stamp.endswith("Z")
    assert short == "01234567"


def test_is_current_compares_the_sources_that_shape_the_model(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    card = replace(_card("v1"), source_hash="s" * 64)
    registry.publish(card, _build_folder(tmp_path, "v1", "x"))
    assert registry.is_current("classifier", "a" * 64, "r/1", "s" * 64)
    assert not registry.is_current("classifier", "a" * 64, "r/1", "t" * 64)
    assert not registry.is_current("classifier", "a" * 64, "r/1")


def test_source_hash_changes_with_any_source_file_and_only_with_those() -> None:
    classifier = source_hash("classifiers", "clerk/documents.py")
    assert classifier == source_hash("clerk/documents.py", "classifiers")  # order-free
    assert classifier != source_hash("classifiers")
    assert classifier != source_hash("extractors/ner", "clerk/documents.py")


def test_files_hash_covers_every_model_file_but_the_card(tmp_path: Path) -> None:
    folder = _build_folder(tmp_path, "one", "weights")
    (folder / "sub").mkdir()
    (folder / "sub" / "vocab.txt").write_text("a b")
    before = files_hash(folder)
    _card("v1").write(folder)
    assert files_hash(folder) == before  # the card (times, version) is not the model
    (folder / "sub" / "vocab.txt").write_text("a c")
    changed = files_hash(folder)
    assert changed != before
    (folder / "sub" / "vocab.txt").rename(folder / "vocab.txt")
    assert files_hash(folder) not in (before, changed)  # a file's place is part of it
