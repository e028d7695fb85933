"""The project-trained spaCy pipeline for field extraction: build, load, score.

``build(registry, seed)`` trains and publishes the extractor (``clerk models build``);
``EntityModel`` is the loaded pipeline; ``FieldExtractor`` in ``extractors.extraction``
turns its candidates into fields.
"""

from extractors.ner.confidence import Calibrator, Evidence
from extractors.ner.data import AlignStats, document_from_text, to_example, to_examples
from extractors.ner.hints import infer_hints
from extractors.ner.model import Candidate, EntityModel
from extractors.ner.pipeline import add_rules, make_nlp
from extractors.ner.training import RECIPE, TrainParams, build

__all__ = [
    "RECIPE",
    "AlignStats",
    "Calibrator",
    "Candidate",
    "EntityModel",
    "Evidence",
    "TrainParams",
    "add_rules",
    "build",
    "document_from_text",
    "infer_hints",
    "make_nlp",
    "to_example",
    "to_examples",
]
