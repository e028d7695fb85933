"""The spaCy pipeline Clerk trains for field extraction: its tokenizer, NER and rules.

Why ``spacy.blank("xx")``: one model reads English, German and French documents, and the
language-neutral tokenizer treats them alike. The English tokenizer carries English
exceptions (``Ltd.`` as one token, ``12-Mar-2024`` split differently from German), so
a span that ends before the dot cannot be aligned and the same value would tokenize
differently per language. Three extra infix rules make document-style values split where
field boundaries fall: a colon glued to a value (``Nr.:4711``), ``#`` (``#4711``) and an
ISO currency code glued to a number (``EUR1,234.56``).

The rules are a ``span_ruler`` that writes to ``doc.spans["rules"]`` rather than to
``doc.ents``: an IBAN or VAT id pattern knows the *shape* of a value but not whose it is
(a vendor's VAT id and a buyer's look the same), so rules never claim a label in the
entities; the statistical NER decides, and agreement with a rule is a confidence signal.
``nlp.initialize()`` clears ruler patterns, so ``add_rules`` runs after it.

``clerk_lines`` marks each printed line as a sentence, which the NER's transition system
treats as a hard boundary: no entity crosses a line break.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

RULES_KEY = "rules"
LINES = "clerk_lines"
KIND = "extractor"  # the registry kind
PIPELINE_DIR = "pipeline"  # the spaCy pipeline's folder inside a registry version
NER = "ner"
RULER = "clerk_rules"

# Labels the rule patterns produce (a rule label names a value *shape*).
IBAN = "iban"
VAT_ID = "vat_id"
CURRENCY = "currency"

_CURRENCY_CODES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "CAD")
_CURRENCY_SYMBOLS = ("€", "$", "£", "Fr.", "CHF", "zł")


def make_nlp(window: int = 1, width: int = 96) -> Language:
    """A blank multilingual pipeline with Clerk's tokenizer rules and an NER component."""
    import spacy
    from spacy.util import compile_infix_regex

    register_components()
    nlp = spacy.blank("xx")
    infixes: list[Any] = [
        *(nlp.Defaults.infixes or ()),
        r"(?<=[^\s:]):(?=[^\s:])",  # "Nr.:4711" -> "Nr." ":" "4711"
        r"#(?=[0-9A-Za-z])",  # "#4711"
        r"(?<=\b[A-Z]{3})(?=[0-9])",  # "EUR1,234.56"
        r"(?<=[0-9])(?=[A-Z]{3}\b)",  # "1,234.56EUR"
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.add_pipe(LINES)
    nlp.add_pipe(NER, config={"model": ner_model_config(window, width)})
    return nlp


def mark_lines(doc: Doc) -> Doc:
    """Make every printed line a "sentence". spaCy's NER may not continue an entity
    across a sentence start, so no entity can run over a line break: a field value
    is printed on one line, and without this an undertrained model happily reads
    ``INV-7\nIssue date 12.03.2024`` as one invoice number."""
    for index, token in enumerate(doc):
        previous = doc[index - 1].text if index else "\n"
        breaks = ("\n" in previous, "\f" in previous, "\n" in token.text, "\f" in token.text)
        token.is_sent_start = any(breaks)
    return doc


def register_components() -> None:
    """Make ``clerk_lines`` known to spaCy; needed before ``spacy.load`` of a pipeline."""
    from spacy.language import Language

    if not Language.has_factory(LINES):
        Language.component(LINES, func=mark_lines)


def ner_model_config(window: int = 1, width: int = 96, depth: int = 4) -> dict[str, Any]:
    """spaCy's default NER architecture; ``window`` is how many tokens each CNN layer
    sees on either side (the receptive field is ``window * depth`` tokens)."""
    return {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": width,
            "depth": depth,
            "embed_size": 2000,
            "window_size": window,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    }


def add_rules(nlp: Language) -> None:
    """Add the value-shape rules; call after ``nlp.initialize()``, which would clear them."""
    if RULER in nlp.pipe_names:
        nlp.remove_pipe(RULER)
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULER,
        first=True,
        config={"spans_key": RULES_KEY, "annotate_ents": False, "overwrite": False},
    )
    ruler.add_patterns(rule_patterns())  # type: ignore[attr-defined]


def rule_patterns() -> list[dict[str, Any]]:
    """Token patterns for IBANs (grouped or not), VAT ids and currency markers.

    Patterns only propose; the IBAN checksum and VAT formats are checked by the
    normalizers before a rule counts as agreement."""
    group = {"TEXT": {"REGEX": r"^[A-Z0-9]{1,4}$"}}
    patterns: list[dict[str, Any]] = [
        {"label": IBAN, "pattern": [{"TEXT": {"REGEX": r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$"}}]},
    ]
    # "DE89 3704 0044 0532 0130 00": the first group then 3 to 8 more groups.
    for more in range(3, 9):
        head = {"TEXT": {"REGEX": r"^[A-Z]{2}\d{2}$"}}
        patterns.append({"label": IBAN, "pattern": [head, *([group] * more)]})
    vat_one = r"^(?:[A-Z]{2}|EL|CHE-?)[0-9A-Z][0-9A-Z.\-]{6,13}$"
    patterns.append({"label": VAT_ID, "pattern": [{"TEXT": {"REGEX": vat_one}}]})
    # "FR 12 345678901", "DE 123456789", "CHE-123.456.789 MWST"
    patterns.append(
        {
            "label": VAT_ID,
            "pattern": [
                {"TEXT": {"REGEX": r"^[A-Z]{2}$"}},
                {"TEXT": {"REGEX": r"^[0-9A-Z]{2,12}$"}},
                {"TEXT": {"REGEX": r"^\d{3,9}$"}, "OP": "?"},
            ],
        }
    )
    patterns.append(
        {
            "label": VAT_ID,
            "pattern": [
                {"TEXT": {"REGEX": r"^CHE-?[\d.]{9,11}$"}},
                {"TEXT": {"IN": ["MWST", "TVA", "IVA"]}, "OP": "?"},
            ],
        }
    )
    for code in _CURRENCY_CODES:
        patterns.append({"label": CURRENCY, "pattern": [{"TEXT": code}]})
    for symbol in _CURRENCY_SYMBOLS:
        patterns.append({"label": CURRENCY, "pattern": symbol})
    return patterns


def set_beam(nlp: Language, width: int) -> None:
    """Decode with a beam of ``width`` parses, so each entity gets a probability.

    The weights are the same as for greedy decoding (the model is trained greedily);
    only the search changes, and ``scored_ents`` sums the probability of every beam
    parse that contains an entity."""
    ner = nlp.get_pipe(NER)
    ner.cfg["beam_width"] = width  # type: ignore[attr-defined]
    ner.cfg["beam_density"] = 0.0001  # type: ignore[attr-defined]
