"""The text the classifier sees, shared by training and inference so both see the same thing.

Two rules keep scikit-learn and its ONNX export in exact agreement (STACK.md, "ONNX
classifier"): whitespace is collapsed to single spaces *before* the vectorizers (the ONNX
char tokenizer does not collapse it, scikit-learn's does), and the word tokens are
letters/digits of two or more characters on both sides. Lower-casing happens here in
Python too, not in the vectorizers: ONNX's StringNormalizer lower-cases by locale and
differs from ``str.lower`` on letters such as ``İ``. And ``#`` becomes ``№``: the ONNX
tokenizer pads the shorter texts of a batch with ``#`` characters, so a char n-gram such
as ``##`` in the vocabulary would count padding (skl2onnx only checks that the pad is not
a whole vocabulary term).

Long texts are cut to the first ``MAX_CHARS`` characters after collapsing whitespace. A
document's type shows in its first page (title, header, the first lines of the body);
the cap bounds inference time and memory on a 300-page upload, and training uses the same
cap so the model never sees text that inference would cut off.
"""

from __future__ import annotations

MAX_CHARS = 6000

# scikit-learn's token_pattern and the ONNX Tokenizer's regex for the same tokens: the
# default sklearn pattern keeps 1-char tokens inside bigrams in ONNX but not in sklearn,
# and ``(?u)`` is not understood by the ONNX regex engine (RE2).
SKLEARN_TOKEN_PATTERN = r"[^\W_]{2,}"  # noqa: S105 (a regex, not a password)
ONNX_TOKEN_EXP = r"[\pL\pN]{2,}"  # noqa: S105

# ONNX's StringNormalizer (lower-casing) needs a locale the machine has; C.UTF-8 exists on
# every Debian image, en_US.UTF-8 often does not.
ONNX_LOCALE = "C.UTF-8"

PAD_CHAR = "#"  # skl2onnx's Tokenizer pad_value
PAD_STAND_IN = "№"  # what "#" means on a document ("Invoice # 12"), and never padding


def prepare(text: str, max_chars: int = MAX_CHARS) -> str:
    """Lower-case, collapse whitespace and keep the first ``max_chars`` characters."""
    # Cutting the raw text first keeps a huge input from being split in full; four times
    # the cap is more than enough for any realistic amount of whitespace.
    cut = text[: max_chars * 4].lower().replace(PAD_CHAR, PAD_STAND_IN)
    return " ".join(cut.split())[:max_chars].rstrip()
