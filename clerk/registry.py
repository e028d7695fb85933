"""A versioned model registry on disk, shared by every kind of model Clerk trains.

Layout under ``models_dir()``::

    <kind>/<version>/card.json      the model card
    <kind>/<version>/...            the model's own files
    <kind>/CURRENT                  the version in use (one line)

A version is never changed after it is published; publishing writes the folder under
a temporary name, renames it into place, then moves ``CURRENT`` atomically.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clerk.errors import ApplicationError
from clerk.paths import models_dir


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

    @staticmethod
    def read(folder: Path) -> ModelCard:
        return ModelCard(**json.loads((folder / "card.json").read_text()))

    def write(self, folder: Path) -> None:
        (folder / "card.json").write_text(json.dumps(asdict(self), indent=2, sort_keys=True))


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
        cards = [ModelCard.read(p) for p in base.iterdir() if (p / "card.json").exists()]
        return sorted(cards, key=lambda c: c.created_at)

    def is_current(self, kind: str, data_hash: str, recipe: str) -> bool:
        """True when the version in use was trained on this data with this recipe."""
        try:
            _, card = self.current(kind)
        except ApplicationError:
            return False
        return card.data_hash == data_hash and card.recipe == recipe

    def publish(self, card: ModelCard, build: Path) -> Path:
        """Move a finished build folder into the registry and make it current."""
        card.write(build)
        target = self.root / card.kind / card.version
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".publish-"))
        staging.rmdir()
        shutil.copytree(build, staging)
        os.replace(staging, target)
        self.set_current(card.kind, card.version)
        return target

    def set_current(self, kind: str, version: str) -> None:
        if not (self.root / kind / version / "card.json").exists():
            raise ValueError(f"no {kind} version {version!r} in {self.root}")
        pointer = self.root / kind / "CURRENT"
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(version + "\n")
        os.replace(tmp, pointer)
