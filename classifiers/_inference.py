"""Classify text with the published ONNX model: onnxruntime only, one thread, no scikit-learn.

Load once per process (``Classifier.load()``: 0.19 s on two busy cores, ``python -m timeit
-s 'from classifiers import Classifier' 'Classifier.load()'``) and reuse it. Input is cut to
the model's ``max_chars`` first characters after collapsing whitespace (see
``classifiers._features``); the cap is stored in the model card so inference always cuts
exactly where training did. Empty or blank text is ``other``, with the probability the
model gives an empty page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifiers._export import onnx_probabilities, open_session
from classifiers._features import MAX_CHARS, prepare
from clerk.errors import ApplicationError
from clerk.registry import ModelCard, Registry

KIND = "classifier"
FALLBACK_LABEL = "other"


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float  # calibrated probability of ``label``
    top3: tuple[tuple[str, float], ...]  # best first
    model_version: str


@dataclass(frozen=True)
class Classifier:
    session: Any  # onnxruntime.InferenceSession
    labels: tuple[str, ...]  # column order of the model's probabilities
    card: ModelCard
    max_chars: int = MAX_CHARS

    @property
    def model_version(self) -> str:
        return self.card.version

    @classmethod
    def load(cls, registry: Registry | None = None) -> Classifier:
        """The registry's current classifier (``MODEL_MISSING`` when there is none)."""
        folder, card = (registry or Registry()).current(KIND)
        return cls.from_folder(folder, card)

    @classmethod
    def from_folder(cls, folder: Path, card: ModelCard | None = None) -> Classifier:
        card = card or ModelCard.read(folder)
        try:
            labels = tuple(json.loads((folder / "labels.json").read_text()))
            session = open_session((folder / "model.onnx").read_bytes())
        except (OSError, ValueError) as exc:
            raise ApplicationError(
                "MODEL_MISSING",
                f"classifier {card.version} in {folder} cannot be loaded ({exc}); "
                "rebuild it with `clerk models build --only classifier --force`",
            ) from exc
        except Exception as exc:  # onnxruntime raises its own types for a corrupt model
            raise ApplicationError(
                "MODEL_MISSING",
                f"classifier {card.version} in {folder} is not a valid ONNX model "
                f"({type(exc).__name__}: {exc}); rebuild it with "
                "`clerk models build --only classifier --force`",
            ) from exc
        if FALLBACK_LABEL not in labels:
            raise ApplicationError(
                "MODEL_MISSING",
                f"classifier {card.version} has labels {labels} without {FALLBACK_LABEL!r}; "
                "rebuild it with `clerk models build --only classifier --force`",
            )
        max_chars = int(card.params.get("max_chars", MAX_CHARS))
        return cls(session=session, labels=labels, card=card, max_chars=max_chars)

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        # One run per text: the ONNX tokenizer pads a batch to its longest text, so batches
        # cost memory and measured no faster (bench/bench_classifier.py).
        out: list[Classification] = []
        for text in texts:
            prepared = prepare(text, self.max_chars)
            probs = onnx_probabilities(self.session, [prepared])[0]
            out.append(self._result(prepared, probs))
        return out

    def _result(self, prepared: str, probs: np.ndarray) -> Classification:
        order = sorted(range(len(self.labels)), key=lambda i: (-probs[i], i))
        top3 = tuple((self.labels[i], float(probs[i])) for i in order[:3])
        if not prepared:
            # Nothing to read is never a business document, whatever the intercepts say;
            # the confidence stays the model's own probability for an empty page.
            p_other = float(probs[self.labels.index(FALLBACK_LABEL)])
            return Classification(FALLBACK_LABEL, p_other, top3, self.model_version)
        label, confidence = top3[0]
        return Classification(label, confidence, top3, self.model_version)
