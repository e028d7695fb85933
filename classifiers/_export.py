"""scikit-learn pipeline -> ONNX, and the build-time proof that the two agree.

The check runs on every held-out text: a model whose ONNX form disagrees with the
scikit-learn model it was measured as is never published (``ExportMismatchError``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from classifiers._features import ONNX_LOCALE, ONNX_TOKEN_EXP

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# Largest |p_onnx - p_sklearn| accepted for any class of any text.
PROB_TOLERANCE = 1e-4
INPUT_NAME = "text"


class ExportMismatchError(RuntimeError):
    """The ONNX model does not reproduce the scikit-learn model it was exported from."""


@dataclass(frozen=True)
class Agreement:
    n_texts: int
    max_prob_diff: float


def to_onnx(pipeline: Pipeline) -> bytes:
    """Convert the (features -> LogisticRegression) pipeline; input: string tensor [N, 1]."""
    from onnx.helper import make_opsetid
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import StringTensorType

    features, model = pipeline.steps[0][1], pipeline.steps[-1][1]
    options: dict[int, dict[str, Any]] = {id(model): {"zipmap": False}}
    for _, vectorizer in features.transformer_list:
        opts: dict[str, Any] = {"locale": ONNX_LOCALE}
        if vectorizer.analyzer == "word":
            opts["tokenexp"] = ONNX_TOKEN_EXP
        options[id(vectorizer)] = opts
    with warnings.catch_warnings():
        # skl2onnx warns that char analyzers "may not work"; check_agreement proves they do.
        warnings.filterwarnings("ignore", message="The conversion of CountVectorizer may not")
        # A fixed graph name: skl2onnx names the graph with a random uuid, and the same
        # seed must give the same bytes (``clerk models build --check``).
        onx = convert_sklearn(
            pipeline,
            initial_types=[(INPUT_NAME, StringTensorType([None, 1]))],
            options=options,
            name="clerk_document_classifier",
        )
    # skl2onnx lists the operator sets in the order of a set of domains, which follows
    # the process's string-hash seed: sorted, two processes write the same bytes.
    imports = sorted((o.domain, o.version) for o in onx.opset_import)
    del onx.opset_import[:]
    onx.opset_import.extend(make_opsetid(domain, version) for domain, version in imports)
    return bytes(onx.SerializeToString())


def onnx_probabilities(session: Any, texts: Sequence[str]) -> np.ndarray:
    """Class probabilities (columns in the model's label order) for prepared texts."""
    batch = np.array(list(texts), dtype=object).reshape(-1, 1)
    outputs = session.run(None, {INPUT_NAME: batch})
    # With zipmap=False the outputs are (label, probabilities); probabilities is the float one.
    probs = next(o for o in outputs if o.dtype == np.float32 or o.dtype == np.float64)
    return np.asarray(probs, dtype=np.float64)


def open_session(model: bytes) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def check_agreement(
    model: bytes, pipeline: Pipeline, texts: Sequence[str], batch_size: int = 256
) -> Agreement:
    """Labels identical and probabilities within ``PROB_TOLERANCE`` on every text, or raise."""
    session = open_session(model)
    worst = 0.0
    for start in range(0, len(texts), batch_size):
        chunk = list(texts[start : start + batch_size])
        expected = pipeline.predict_proba(chunk)
        got = onnx_probabilities(session, chunk)
        if got.shape != expected.shape:
            raise ExportMismatchError(
                f"ONNX gives probabilities of shape {got.shape}, scikit-learn {expected.shape}; "
                "the export dropped or added classes: check the converter options"
            )
        diff = np.abs(got - expected).max(axis=1)
        labels_differ = got.argmax(axis=1) != expected.argmax(axis=1)
        bad = np.flatnonzero(labels_differ | (diff > PROB_TOLERANCE))
        if bad.size:
            i = int(bad[0])
            classes = list(pipeline.classes_)
            raise ExportMismatchError(
                f"ONNX and scikit-learn disagree on {bad.size} of {len(chunk)} texts in batch "
                f"at {start}; first: text {start + i} ({chunk[i][:80]!r}...): sklearn "
                f"{classes[int(expected[i].argmax())]} vs ONNX {classes[int(got[i].argmax())]}, "
                f"max probability difference {diff[i]:.2e} (tolerance {PROB_TOLERANCE:.0e}); "
                "check the vectorizer settings against STACK.md 'ONNX classifier'"
            )
        worst = max(worst, float(diff.max()) if diff.size else 0.0)
    return Agreement(n_texts=len(texts), max_prob_diff=worst)
