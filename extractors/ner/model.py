"""A trained pipeline, loaded: text -> scored entity candidates.

Each candidate carries the probability that the NER model assigns to exactly that span
with that label: decoding runs a beam of parses and an entity's probability is the
summed probability of the beam parses that contain it (``EntityRecognizer.scored_ents``).
Unlike the greedy parse's yes/no, this says how sure the model is, and it lets two
spans competing for one field be weighed against each other. The beam runs through
``extractors.ner._beam`` (the same scores as spaCy's ``beam_parse``, computed faster).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.ner._beam import BeamDecoder
from extractors.ner.pipeline import (
    CURRENCY,
    IBAN,
    NER,
    RULES_KEY,
    VAT_ID,
    register_components,
    set_beam,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Which rule shape can confirm which field label.
RULE_SHAPES: dict[str, str] = {"iban": IBAN, "vendor_vat_id": VAT_ID, "currency": CURRENCY}
MIN_PROBABILITY = 0.01  # beam entities below this are noise from the tail of the beam
DEFAULT_BEAM = 8


@dataclass(frozen=True)
class Candidate:
    start: int  # character offsets in the text
    end: int
    label: str
    probability: float  # beam marginal; 0.0 for a candidate that only a rule proposed
    rule: bool  # a value-shape rule found exactly this span

    def text(self, source: str) -> str:
        return source[self.start : self.end]


class EntityModel:
    def __init__(self, nlp: Language, beam_width: int = DEFAULT_BEAM) -> None:
        self.nlp = nlp
        self.beam_width = beam_width
        set_beam(nlp, beam_width)
        self._ner: Any = nlp.get_pipe(NER)
        self._decoder = BeamDecoder(nlp)

    @classmethod
    def load(cls, folder: Path, beam_width: int = DEFAULT_BEAM) -> EntityModel:
        import spacy

        register_components()
        return cls(spacy.load(folder), beam_width)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._ner.labels)

    def candidates(self, text: str) -> list[Candidate]:
        """Every entity the beam proposes above ``MIN_PROBABILITY``, plus IBANs that
        only the rules found (an IBAN's shape is unambiguous, its owner is not asked)."""
        doc = self.nlp.make_doc(text)
        for name, pipe in self.nlp.pipeline:
            if name != NER:
                doc = pipe(doc)
        if not len(doc):
            return []
        beams = self._decoder.parse(doc, self.beam_width, self._ner.cfg["beam_density"])
        scores: dict[tuple[int, int, str], float] = self._ner.scored_ents(beams)[0]
        rules = {
            (span.start_char, span.end_char, span.label_) for span in doc.spans.get(RULES_KEY, [])
        }
        out: list[Candidate] = []
        for (start, end, label), probability in scores.items():
            if probability < MIN_PROBABILITY:
                continue
            first, last = _trim(doc, start, end)
            if first is None or last is None:
                continue
            shape = RULE_SHAPES.get(label)
            agreed = shape is not None and (first, last, shape) in rules
            out.append(Candidate(first, last, label, min(probability, 1.0), agreed))
        proposed = {(c.start, c.end) for c in out if c.label == "iban"}
        for start, end, shape in sorted(rules):
            if shape == IBAN and (start, end) not in proposed:
                out.append(Candidate(start, end, "iban", 0.0, True))
        out.sort(key=lambda c: (c.start, -c.probability))
        return out

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """The single best parse (what ``nlp(text).ents`` gives), for span metrics."""
        doc = self.nlp.make_doc(text)
        for _, pipe in self.nlp.pipeline:
            doc = pipe(doc)
        return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | tuple[None, None]:
    """Character offsets of tokens ``start:end`` without edge whitespace, or None when
    the span crosses a line: every field Clerk extracts is printed on one line."""
    span = doc[start:end]
    text = span.text
    stripped = text.strip()
    if not stripped or "\n" in stripped or "\f" in stripped:
        return None, None
    first = span.start_char + (len(text) - len(text.lstrip()))
    return first, first + len(stripped)
