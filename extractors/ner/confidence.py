"""Field confidence: the evidence for one extracted value, calibrated into a probability.

The NER beam's probability alone is over-confident on noisy text and says nothing
about whether the value survived normalization. So each field is described by a few
signals (``Evidence``), and a logistic model fitted on the held-out dev split at build
time maps them to the probability that the *normalized value* is right:

- ``probability``: beam probability mass of the chosen value (spans with the same
  normalized value pool their mass), and its logit;
- ``competition``: mass of other values proposed for the same field;
- ``contested``: mass of the same span under *other* labels of the schema (a date that
  the beam reads as the issue date or as the due date is not sure of either);
- ``normalized``: the normalizer accepted the text (a date that parses, an IBAN whose
  checksum holds);
- ``rule`` / ``rule_applies``: a value-shape rule (IBAN, VAT id, currency) found the
  same span, for the fields that have one;
- ``ocr``: the lowest word confidence under the span (1.0 for a text layer);
- ``derived``: the value was not read but derived (a currency from the amounts);
- one indicator per field kind, so each kind gets its own base rate;
- ``text_layer`` and its products with probability, logit and normalization: on a text
  layer (no OCR) the beam's certainty means something it does not on OCR-noised text,
  where the model is as sure of misread values as of right ones. With one slope for
  both, the noised half of the dev split flattened the probability's weight to about
  nothing and capped every text-layer field under the auto bar; with its own slope a
  clean field the beam is sure of clears it (``bench/bench_extraction.py`` prints the
  auto rate and accuracy on held-out documents).

The fitted weights are stored beside the model in ``calibration.json``; ``fit`` returns
``None`` when the dev split has no wrong values to learn from, and the fallback is the
product of probability, OCR confidence and normalizer success.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clerk.schemas import FieldKind

KINDS: tuple[FieldKind, ...] = ("text", "date", "amount", "number", "currency", "iban", "vat_id")
FEATURES: tuple[str, ...] = (
    "probability",
    "logit",
    "competition",
    "contested",
    "normalized",
    "rule_applies",
    "rule",
    "ocr",
    "derived",
    *(f"kind_{k}" for k in KINDS),
    "text_layer",
    "text_layer_probability",
    "text_layer_logit",
    "text_layer_normalized",
)
CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class Evidence:
    kind: FieldKind
    probability: float
    competition: float
    contested: float
    normalized: bool
    rule_applies: bool
    rule: bool
    ocr: float
    derived: bool = False

    def vector(self) -> list[float]:
        p = min(max(self.probability, 1e-4), 1 - 1e-4)
        logit = math.log(p / (1 - p))
        text_layer = float(self.ocr >= 1.0)  # every word under the span came unOCRed
        return [
            self.probability,
            logit,
            self.competition,
            self.contested,
            float(self.normalized),
            float(self.rule_applies),
            float(self.rule),
            self.ocr,
            float(self.derived),
            *(float(self.kind == k) for k in KINDS),
            text_layer,
            text_layer * self.probability,
            text_layer * logit,
            text_layer * float(self.normalized),
        ]


@dataclass(frozen=True)
class Calibrator:
    weights: tuple[float, ...]
    bias: float
    samples: int = 0

    def confidence(self, evidence: Evidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, evidence.vector(), strict=True))
        return _sigmoid(z)

    def save(self, folder: Path) -> None:
        data = {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "samples": self.samples,
            "method": "logistic regression on dev-split fields; target: normalized value == truth",
        }
        (folder / CALIBRATION_FILE).write_text(json.dumps(data, indent=2))

    @staticmethod
    def load(folder: Path) -> Calibrator | None:
        path = folder / CALIBRATION_FILE
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                f"{path} was fitted on features {data['features']}, this Clerk computes "
                f"{list(FEATURES)}; rebuild the extractor with `clerk models build --force`"
            )
        return Calibrator(tuple(data["weights"]), float(data["bias"]), int(data["samples"]))


def uncalibrated(evidence: Evidence) -> float:
    base = evidence.probability if not evidence.derived else 0.5 * evidence.probability
    return base * evidence.ocr * (1.0 if evidence.normalized else 0.3)


def score(calibrator: Calibrator | None, evidence: Evidence) -> float:
    value = uncalibrated(evidence) if calibrator is None else calibrator.confidence(evidence)
    return round(min(max(value, 0.0), 1.0), 4)


def fit(evidence: Sequence[Evidence], correct: Sequence[bool], seed: int) -> Calibrator | None:
    """A logistic calibrator, or None when the data has only one outcome."""
    if len(set(correct)) < 2:
        return None
    from sklearn.linear_model import LogisticRegression

    x = [e.vector() for e in evidence]
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    model.fit(x, [int(c) for c in correct])
    weights = tuple(float(w) for w in model.coef_[0])
    return Calibrator(weights, float(model.intercept_[0]), len(x))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
