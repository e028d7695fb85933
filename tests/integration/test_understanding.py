"""The whole understanding pipeline over the bundled samples, with the installed models.

These tests use the models in the registry (``clerk models build`` puts them there;
``make test`` runs it first). A missing model is a failure with the fix in its message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clerk.errors import ClerkError
from clerk.paths import PROJECT_ROOT
from pipeline.understander import Failure, Understander

SAMPLES = PROJECT_ROOT / "samples"


@pytest.fixture(scope="session")
def understander() -> Understander:
    try:
        return Understander.load()
    except ClerkError as exc:
        pytest.fail(f"{exc}; `make test` builds the models before the tests")


def _expected() -> list[tuple[Path, dict]]:
    return [
        (SAMPLES / "inbox" / p.name.removesuffix(".json"), json.loads(p.read_text()))
        for p in sorted((SAMPLES / "expected").glob("*.json"))
    ]


@pytest.fixture(scope="session")
def outcomes(understander: Understander) -> dict[str, list]:
    return {path.name: understander.understand_path(path) for path, _ in _expected()}


@pytest.mark.parametrize(("path", "expected"), _expected(), ids=lambda v: getattr(v, "name", ""))
def test_each_sample_is_typed_or_failed_as_expected(path, expected, outcomes) -> None:
    results = outcomes[path.name]
    if "error" in expected:
        assert [r.code for r in results if isinstance(r, Failure)] == [expected["error"]]
        return
    understood = [r for r in results if not isinstance(r, Failure)]
    assert len(understood) == 1, f"one business document expected in {path.name}: {results}"
    assert understood[0].doc_type == expected["doc_type"]


def test_fields_match_the_ground_truth_on_most_samples(outcomes) -> None:
    hits = total = 0
    for path, expected in _expected():
        if "error" in expected:
            continue
        (result,) = [r for r in outcomes[path.name] if not isinstance(r, Failure)]
        values = result.addressed_values()  # cells by address, as the truth keeps them
        for name, value in expected["fields"].items():
            total += 1
            hits += values.get(name) == value
    assert total > 100
    assert hits / total >= 0.75, f"{hits}/{total} fields match the ground truth"


def test_every_field_carries_page_and_box_on_paged_documents(outcomes) -> None:
    (result,) = outcomes["invoice_en.pdf"]
    assert result.fields and result.line_items
    cells = [c for row in result.line_items for c in row.cells]
    for field in [*result.fields, *cells]:
        assert field.page is not None and field.box is not None, field


def test_the_understanding_keeps_the_page_sizes_the_reader_measured(outcomes) -> None:
    """The review screen draws the boxes on these; it no longer opens the file for them."""
    from extractors import page_sizes

    for name in ("invoice_en.pdf", "scan_purchase_order_fr.pdf", "scan_invoice_de.png"):
        (result,) = outcomes[name]
        measured = page_sizes((SAMPLES / "inbox" / name).read_bytes())
        assert len(result.page_sizes) == result.pages == len(measured) >= 1
        for (w, h), (mw, mh) in zip(result.page_sizes, measured, strict=True):
            assert abs(w - mw) < 1 and abs(h - mh) < 1
        boxes = [f.box for f in result.fields if f.box is not None and f.page == 1]
        width, height = result.page_sizes[0]
        assert boxes and all(b.x1 <= width + 1 and b.y1 <= height + 1 for b in boxes)
    (sheet,) = outcomes["product_update_en.xlsx"]
    assert sheet.page_sizes == ()  # a spreadsheet's pages have no size


def test_the_cover_note_of_an_email_is_not_a_review_item(outcomes) -> None:
    names = [r.document_name for r in outcomes["mail_invoice_attached.eml"]]
    attached = json.loads((SAMPLES / "expected" / "mail_invoice_attached.eml.json").read_text())
    assert names == [f"mail_invoice_attached.eml/{attached['email_part']}"]


def test_bad_bytes_become_a_failure_and_the_worker_goes_on(understander) -> None:
    (failure,) = understander.understand_bytes(b"\x00\x01\x02garbage" * 50, "x.pdf")
    assert isinstance(failure, Failure)
    assert (failure.type, failure.code) == ("BUSINESS", "UNSUPPORTED_TYPE")


def test_an_unexpected_crash_is_an_internal_failure(understander, monkeypatch) -> None:
    class BrokenClassifier:
        model_version = "broken"

        def classify(self, _text: str) -> None:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(understander, "classifier", BrokenClassifier())
    (failure,) = understander.understand_bytes(b"Invoice No. 1\nTotal 5.00 EUR", "a.txt")
    assert isinstance(failure, Failure)
    assert (failure.type, failure.code) == ("APPLICATION", "INTERNAL")
    assert "disk on fire" in failure.message


def test_what_goes_on_alone_is_right_field_by_field(outcomes) -> None:
    """The auto bar's promise on the samples, with no vendor master: whatever goes on
    alone has every value as the ground truth says; scans wait. How many go on alone is
    model quality: ``bench/bench_demo.py`` and ``bench/bench_understanding.py`` print it."""
    auto = []
    for path, expected in _expected():
        if "error" in expected:
            continue
        (result,) = [r for r in outcomes[path.name] if not isinstance(r, Failure)]
        if result.decision != "auto":
            continue
        auto.append(path.name)
        values = result.addressed_values()  # cells by address, as the truth keeps them
        wrong = {n: (values.get(n), v) for n, v in expected["fields"].items() if values.get(n) != v}
        assert not wrong, f"{path.name} went on alone with wrong values: {wrong}"
    assert not [name for name in auto if name.startswith("scan_")], auto
