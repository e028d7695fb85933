"""The export check on a tiny hand-made set: it passes for the recipe and fails loudly
for a model whose ONNX form does not match."""

import numpy as np
import pytest

from classifiers._export import (
    ExportMismatchError,
    check_agreement,
    onnx_probabilities,
    open_session,
    to_onnx,
)
from classifiers._features import prepare
from classifiers.training import make_pipeline

TEXTS = {
    "invoice": ["Rechnung Nr. 4711 Gesamtbetrag 12,50 EUR", "Invoice # 55 total due 100.00 ##"],
    "purchase_order": ["Bestellung 44 bitte liefern bis", "Purchase order PO-9 please deliver"],
    "receipt": ["Kassenbon danke für Ihren Einkauf", "Receipt thank you for shopping"],
    "product_update": ["Produktänderung neue Preise ab", "Product update new price list"],
    "remittance_advice": ["Zahlungsavis Überweisung der Rechnungen", "Remittance advice payment"],
    "other": ["Hallo zusammen, Mittagessen am Freitag", "Bonjour à tous, réunion lundi", ""],
}
HELD_OUT = [
    "RECHNUNG 99 Gesamtbetrag fällig",
    "Bon de commande: veuillez livrer",
    "İSTANBUL ŞUBE ÖDEME ßtraße",  # letters whose lower-casing differs by locale
    "x",
    "",
]


@pytest.fixture(scope="module")
def tiny() -> tuple[object, bytes]:
    texts = [prepare(t) for ts in TEXTS.values() for t in ts]
    labels = [label for label, ts in TEXTS.items() for _ in ts]
    pipeline = make_pipeline()
    pipeline.set_params(features__words__min_df=1, features__chars__min_df=1)
    pipeline.fit(texts, labels)
    return pipeline, to_onnx(pipeline)


def test_onnx_matches_sklearn_on_every_text(tiny: tuple[object, bytes]) -> None:
    pipeline, model = tiny
    texts = [prepare(t) for t in HELD_OUT] + [prepare(t) for ts in TEXTS.values() for t in ts]
    agreement = check_agreement(model, pipeline, texts, batch_size=4)
    assert agreement.n_texts == len(texts)
    assert agreement.max_prob_diff < 1e-5
    probs = onnx_probabilities(open_session(model), texts)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs.argmax(axis=1) == pipeline.predict_proba(texts).argmax(axis=1)).all()


def test_check_fails_loudly_when_onnx_and_sklearn_differ(tiny: tuple[object, bytes]) -> None:
    _, model = tiny
    other = make_pipeline()
    other.set_params(features__words__min_df=1, features__chars__min_df=1)
    labels = [label for label, ts in TEXTS.items() for _ in ts]
    texts = [prepare(t) for ts in TEXTS.values() for t in ts]
    other.fit(texts, list(reversed(labels)))  # same classes, other weights
    with pytest.raises(ExportMismatchError, match="disagree on"):
        check_agreement(model, other, texts)


def test_the_same_model_exports_to_the_same_bytes(tiny: tuple[object, bytes]) -> None:
    """skl2onnx names a graph with a random uuid unless told otherwise: two exports of one
    model must be byte-identical, or two builds of one seed never compare equal."""
    pipeline, model = tiny
    assert to_onnx(pipeline) == model  # type: ignore[arg-type]


def test_two_processes_with_other_hash_seeds_export_the_same_bytes() -> None:
    """skl2onnx orders the operator sets by a set of strings: without sorting them, the
    same model written by two processes differed in bytes (a fresh clone's build and the
    developer's did)."""
    import hashlib
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, tests.unit.classifiers.test_export as t;"
        "print(hashlib.sha256(t.tiny.__wrapped__()[1]).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1, digests
    assert hashlib.sha256(b"").hexdigest() not in digests
