"""Shadow mode: a model candidate reads each live document beside the current models,
deciding nothing.

On when ``CLERK_SHADOW_CANDIDATE=1`` (default off: a shadow doubles the models' time per
document) and the registry has a candidate (``clerk.canary``) of either kind; the kind
without a candidate reads with its current model, so the shadow is "what the pipeline
would read if the candidates were promoted". Its reading goes into the understanding's
``shadow`` (the item's payload): the versions, the type and the flat values. The
decision never looks at it. When a reviewer approves the item, the Control Room compares
both readings with the reviewer's values (``controlroom.services.shadow``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clerk import canary
from clerk.registry import Registry

if TYPE_CHECKING:
    from classifiers import Classifier
    from clerk.documents import Document
    from extractors.extraction import FieldExtractor

SETTING = "CLERK_SHADOW_CANDIDATE"


def enabled() -> bool:
    value = os.environ.get(SETTING, "0").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{SETTING}={value!r}: use 1 (shadow the candidate) or 0 (off)")


@dataclass
class Shadow:
    classifier: Classifier
    extractor: FieldExtractor

    @property
    def model_versions(self) -> dict[str, str]:
        return {
            "classifier": self.classifier.model_version,
            "extractor": self.extractor.model_version,
        }

    @classmethod
    def load(cls, registry: Registry | None = None) -> Shadow | None:
        """The candidates (current models for a kind without one), or None when shadow
        mode is off or there is no candidate."""
        if not enabled():
            return None
        from classifiers import Classifier
        from extractors.extraction import FieldExtractor

        registry = registry if registry is not None else Registry()
        classifier_card = canary.candidate(registry, "classifier")
        extractor_card = canary.candidate(registry, "extractor")
        if classifier_card is None and extractor_card is None:
            return None
        if classifier_card is not None:
            folder = registry.root / "classifier" / classifier_card.version
            classifier = Classifier.from_folder(folder, classifier_card)
        else:
            classifier = Classifier.load(registry)
        if extractor_card is not None:
            folder = registry.root / "extractor" / extractor_card.version
            extractor = FieldExtractor.from_folder(folder, extractor_card.version)
        else:
            extractor = FieldExtractor.load(registry)
        return cls(classifier, extractor)

    def read(self, document: Document) -> dict[str, Any]:
        """The shadow's reading; an error is recorded, never raised: the shadow must not
        fail a document the current models understood."""
        try:
            classification = self.classifier.classify(document.text)
            fields = self.extractor.extract(document, classification.label)
        except Exception as exc:
            return {"model_versions": self.model_versions, "error": f"{type(exc).__name__}: {exc}"}
        return {
            "model_versions": self.model_versions,
            "doc_type": classification.label,
            "type_confidence": round(classification.confidence, 4),
            "values": {f.name: f.value for f in fields},
        }


def candidate_versions(registry: Registry) -> dict[str, str]:
    """The candidates on trial now, by kind (for a worker to see that its shadow is stale)."""
    out: dict[str, str] = {}
    for kind in canary.KINDS:
        card = canary.candidate(registry, kind)
        if card is not None:
            out[kind] = card.version
    return out
