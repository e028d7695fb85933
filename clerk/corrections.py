"""Reviewers' corrections as retraining data: records in, corrected documents out.

A record is one correction as ``clerk corrections export`` writes it (one JSON object a
line: ``document_sha256``, ``doc_type``, ``field``, ``corrected_value``, ...) plus, to be
of use for training, ``text``: the document's text as Clerk read it (``--with-text`` on
the export; a build from the Control Room database reads it from the item's file). The
records of one document become one ``CorrectedDocument``: the reviewer's type (a
correction of the field ``doc_type`` wins over the type the machine gave) and the
reviewer's flat field values. Line-item cells are left out: a cell's text alone does not
say which row it belongs to.

``split`` keeps a share of the documents back (chosen by a hash of their sha256, so the
same corrections always split the same way) to compare the candidate with the current
model on documents neither learnt from.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk.documents import DOC_TYPES
from clerk.schemas import parse_cell_address

TYPE_FIELD = "doc_type"  # a correction of this "field" corrects the document's type
HOLDOUT_SHARE = 0.25
REQUIRED = ("document_sha256", "doc_type", "field", "corrected_value")


class CorrectionsError(ValueError):
    """The corrections cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class CorrectedDocument:
    sha256: str
    doc_type: str  # as the reviewer left it
    text: str | None  # None: no text came with the records (no training example)
    values: dict[str, str] = field(default_factory=dict)  # flat field -> corrected value
    type_corrected: bool = False  # the reviewer changed the machine's type


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a corrections file; a bad line is an error naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorrectionsError(f"cannot read corrections file {path}: {exc.strerror}") from exc
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorrectionsError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        missing = [k for k in REQUIRED if not isinstance(record, dict) or k not in record]
        if missing:
            raise CorrectionsError(
                f"{path}:{number}: a correction needs {', '.join(REQUIRED)}; missing "
                f"{', '.join(missing)} (write the file with `clerk corrections export`)"
            )
        records.append(record)
    return records


def corrections_hash(records: Iterable[dict[str, Any]]) -> str:
    """sha256 of the records as canonical JSON lines, in the order given."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def documents(records: Iterable[dict[str, Any]]) -> list[CorrectedDocument]:
    """One document per sha256, in order of first appearance; a later correction of the
    same field wins (the export is oldest first)."""
    grouped: dict[str, dict[str, Any]] = {}
    for record in records:
        sha = str(record["document_sha256"])
        entry = grouped.setdefault(
            sha, {"doc_type": str(record["doc_type"]), "text": None, "values": {}, "typed": False}
        )
        if isinstance(record.get("text"), str) and record["text"].strip():
            entry["text"] = record["text"]
        name, value = str(record["field"]), record["corrected_value"]
        if name == TYPE_FIELD:
            if value in DOC_TYPES:
                entry["doc_type"], entry["typed"] = value, True
        elif parse_cell_address(name) is None:
            if value is None or not str(value).strip():
                entry["values"].pop(name, None)  # the reviewer cleared a wrong value
            else:
                entry["values"][name] = str(value).strip()
    return [
        CorrectedDocument(sha, e["doc_type"], e["text"], dict(e["values"]), e["typed"])
        for sha, e in grouped.items()
    ]


def split(
    docs: Sequence[CorrectedDocument], seed: int, share: float = HOLDOUT_SHARE
) -> tuple[list[CorrectedDocument], list[CorrectedDocument]]:
    """(train, held back): ``share`` of the documents with text, at least one when
    there are two or more, chosen by a seeded hash of their sha256."""
    usable = [d for d in docs if d.text]
    ranked = sorted(usable, key=lambda d: hashlib.sha256(f"{seed}:{d.sha256}".encode()).digest())
    n = min(len(ranked) - 1, max(1, math.ceil(len(ranked) * share))) if len(ranked) > 1 else 0
    held = {d.sha256 for d in ranked[:n]}
    return [d for d in usable if d.sha256 not in held], [d for d in usable if d.sha256 in held]


def candidate_data_hash(corpus_hash: str, corrections_sha256: str) -> str:
    """A candidate's data hash: its corpus data and the corrections it learnt from."""
    return hashlib.sha256(f"{corpus_hash}+{corrections_sha256}".encode()).hexdigest()
