"""``clerk models build --with-corrections``: candidates from the corpus plus corrections.

The corrections (records as ``clerk.corrections`` describes them) are split into a
training part and a held-back part once, so both kinds are compared on the same
documents; each kind's candidate is trained, compared with the current model and
published as a candidate (``clerk.canary``), never made current.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from clerk.corrections import CorrectionsError, corrections_hash, documents, split
from clerk.registry import ModelCard, Registry

Progress = Callable[[str, float], None]


def build_candidates(
    registry: Registry,
    records: Sequence[dict[str, Any]],
    seed: int,
    kinds: Sequence[str],
    progress: Callable[[str], Progress] | None = None,
    *,
    n_train: int | None = None,
    extractor_params: Any = None,
) -> list[ModelCard]:
    """One candidate per kind in ``kinds``; ``CorrectionsError`` when no corrected
    document has text to learn from."""
    docs = documents(records)
    train, held = split(docs, seed)
    if not train:
        with_text = sum(1 for d in docs if d.text)
        raise CorrectionsError(
            f"{len(records)} correction(s) on {len(docs)} document(s), {with_text} with "
            "text: at least two documents with text are needed (one to learn from, one "
            "to hold back); export with `clerk corrections export --with-text`"
        )
    digest = corrections_hash(records)
    cards: list[ModelCard] = []
    for kind in kinds:
        report = progress(kind) if progress else None
        if kind == "classifier":
            from classifiers.candidate import build_candidate

            kwargs: dict[str, Any] = {"n_train": n_train} if n_train else {}
            cards.append(build_candidate(registry, seed, train, held, digest, report, **kwargs))
        else:
            from extractors.training.candidate import build_candidate as build_extractor

            cards.append(
                build_extractor(
                    registry, seed, train, held, digest, report, params=extractor_params
                )
            )
    return cards
