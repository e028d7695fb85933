"""A versioned model registry on disk, shared by every kind of model Clerk trains.

Layout under ``models_dir()``::

    <kind>/<version>/card.json      the model card
    <kind>/<version>/...            the model's own files
    <kind>/CURRENT                  the version in use (one line)
    <kind>/CANDIDATE                a version on trial, not in use (``clerk.canary``)
    <kind>/HISTORY                  versions replaced by promotions, oldest first

A version is never changed after it is published; publishing writes the folder under
a temporary name, renames it into place, then moves ``CURRENT`` atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clerk.errors import ApplicationError
from clerk.paths import PROJECT_ROOT, models_dir

CARD = "card.json"


@dataclass(frozen=True)
class ModelCard:
    kind: str  # "classifier" | "extractor"
    version: str
    data_hash: str  # sha256 of the training data as fed to the trainer
    recipe: str  # trainer recipe version: changes when the training code changes
    seed: int
    created_at: str
    metrics: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    # sha256 of the source files that shape the model (trainer, featurization, corpus,
    # calibration): a code change rebuilds the model even when data and recipe are equal.
    source_hash: str = ""
    # sha256 of the published model files (every file but the card): two builds of the
    # same data and source give the same hash (``clerk models build --check``).
    files_hash: str = ""

    @staticmethod
    def read(folder: Path) -> ModelCard:
        return ModelCard(**json.loads((folder / CARD).read_text()))

    def write(self, folder: Path) -> None:
        (folder / CARD).write_text(json.dumps(asdict(self), indent=2, sort_keys=True))


def source_hash(*parts: str) -> str:
    """sha256 over the Python sources under ``parts`` (folders or files relative to the
    project root), by relative path and content, in a fixed order."""
    digest = hashlib.sha256()
    files: set[Path] = set()
    for part in parts:
        path = PROJECT_ROOT / part
        files.update(path.rglob("*.py") if path.is_dir() else [path])
    for file in sorted(files):
        digest.update(file.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def files_hash(folder: Path) -> str:
    """sha256 over every file of a model folder but its card, by relative path and content."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = file.relative_to(folder).as_posix()
        if relative == CARD:
            continue
        digest.update(relative.encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def new_version(kind: str, data_hash: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{kind}-{stamp}-{data_hash[:8]}"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Registry:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else models_dir()

    def current_version(self, kind: str) -> str | None:
        pointer = self.root / kind / "CURRENT"
        if not pointer.exists():
            return None
        return pointer.read_text().strip() or None

    def current(self, kind: str) -> tuple[Path, ModelCard]:
        """The folder and card of the version in use, or MODEL_MISSING."""
        version = self.current_version(kind)
        if version is None:
            raise ApplicationError(
                "MODEL_MISSING",
                f"no {kind} model in {self.root}; run `clerk models build` "
                "(or set CLERK_MODELS_DIR to a folder that has one)",
            )
        folder = self.root / kind / version
        return folder, ModelCard.read(folder)

    def versions(self, kind: str) -> list[ModelCard]:
        base = self.root / kind
        if not base.is_dir():
            return []
        cards = [ModelCard.read(p) for p in base.iterdir() if (p / CARD).exists()]
        return sorted(cards, key=lambda c: c.created_at)

    def is_current(self, kind: str, data_hash: str, recipe: str, sources: str = "") -> bool:
        """True when the version in use was trained on this data with this recipe and
        these sources (``source_hash``)."""
        try:
            _, card = self.current(kind)
        except ApplicationError:
            return False
        return card.data_hash == data_hash and card.recipe == recipe and card.source_hash == sources

    def publish(self, card: ModelCard, build: Path, *, make_current: bool = True) -> ModelCard:
        """Move a finished build folder into the registry and (unless ``make_current`` is
        False: a candidate, see ``clerk.canary``) make it current; the card as published,
        with the hash of the model files."""
        card = replace(card, files_hash=files_hash(build))
        card.write(build)
        target = self.root / card.kind / card.version
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".publish-"))
        staging.rmdir()
        shutil.copytree(build, staging)
        os.replace(staging, target)
        if make_current:
            self.set_current(card.kind, card.version)
        return card

    def card(self, kind: str, version: str) -> ModelCard:
        """The card of one version, or a LookupError naming where it was looked for."""
        folder = self.root / kind / version
        if not (folder / CARD).exists():
            raise LookupError(
                f"no {kind} version {version!r} in {self.root}; "
                "see `clerk models list` for the versions there are"
            )
        return ModelCard.read(folder)

    def set_current(self, kind: str, version: str) -> None:
        if not (self.root / kind / version / CARD).exists():
            raise ValueError(f"no {kind} version {version!r} in {self.root}")
        pointer = self.root / kind / "CURRENT"
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(version + "\n")
        os.replace(tmp, pointer)
