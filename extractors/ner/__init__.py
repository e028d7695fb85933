"""The project-trained spaCy pipeline for field extraction: load and score.

``EntityModel`` is the loaded pipeline; ``FieldExtractor`` in ``extractors.extraction``
turns its candidates into fields.
"""

from extractors.ner.confidence import Calibrator, Evidence
from extractors.ner.data import AlignStats, document_from_text, to_example, to_examples
from extractors.ner.hints import infer_hints
from extractors.ner.model import Candidate, EntityModel
from extractors.ner.pipeline import add_rules, make_nlp

__all__ = [
    "AlignStats",
    "Calibrator",
    "Candidate",
    "EntityModel",
    "Evidence",
    "add_rules",
    "document_from_text",
    "infer_hints",
    "make_nlp",
    "to_example",
    "to_examples",
]
