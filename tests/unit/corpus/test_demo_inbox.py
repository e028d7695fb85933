from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from clerk.errors import CODES
from clerk.paths import PROJECT_ROOT
from corpus import Sample, demo_inbox
from corpus._generate import one

BUNDLED = PROJECT_ROOT / "samples"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    demo_inbox.write(out)
    return out


def test_regenerating_gives_identical_expected_json(regenerated: Path) -> None:
    fresh = sorted(p.name for p in (regenerated / "expected").iterdir())
    committed = sorted(p.name for p in (BUNDLED / "expected").iterdir())
    assert fresh == committed
    for name in fresh:
        assert (regenerated / "expected" / name).read_bytes() == (
            BUNDLED / "expected" / name
        ).read_bytes(), name
    assert sorted(p.name for p in (BUNDLED / "inbox").iterdir()) == [
        name.removesuffix(".json") for name in fresh
    ]


def test_bundle_is_mixed_and_small() -> None:
    expected = {p.name: json.loads(p.read_text()) for p in (BUNDLED / "expected").iterdir()}
    doc_types = {e["doc_type"] for e in expected.values() if "doc_type" in e}
    assert doc_types == {
        "invoice", "purchase_order", "receipt", "product_update", "remittance_advice", "other"
    }  # fmt: skip
    errors = sorted(e["error"] for e in expected.values() if "error" in e)
    assert errors == ["EMPTY_FILE", "ENCRYPTED_PDF", "TRUNCATED_FILE"]
    assert all(code in CODES for code in errors)
    suffixes = {Path(name.removesuffix(".json")).suffix for name in expected}
    assert {".pdf", ".png", ".tiff", ".eml", ".xlsx"} <= suffixes
    total = sum(p.stat().st_size for p in (BUNDLED / "inbox").iterdir())
    assert total < 3_000_000


def test_bad_files_are_bad_in_the_promised_way() -> None:
    inbox = BUNDLED / "inbox"
    assert (inbox / "empty.pdf").stat().st_size == 0
    assert PdfReader(inbox / "encrypted.pdf").is_encrypted
    truncated = (inbox / "truncated.pdf").read_bytes()
    assert truncated.startswith(b"%PDF") and b"%%EOF" not in truncated
    text = (inbox / "receipt_really_text.pdf").read_bytes()
    assert not text.startswith(b"%PDF") and text.decode("utf-8")


def test_text_pdfs_show_their_truth() -> None:
    expected = json.loads((BUNDLED / "expected" / "invoice_en.pdf.json").read_text())
    with pdfplumber.open(BUNDLED / "inbox" / "invoice_en.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert expected["fields"]["invoice_number"] in text


def _sample_for(expected: dict[str, Any]) -> Sample:
    split, seed, index, doc_type = str(expected["sample_id"]).split("-", 3)
    return one(int(seed), int(index), doc_type, (str(expected["language"]),), split)


def test_clerk_reads_the_bundle_as_promised() -> None:
    import extractors
    from clerk.errors import BusinessError

    for path in sorted((BUNDLED / "expected").iterdir()):
        expected = json.loads(path.read_text())
        data = (BUNDLED / "inbox" / expected["file"]).read_bytes()
        if "error" in expected:
            with pytest.raises(BusinessError) as caught:
                extractors.read(data, expected["file"])
            assert caught.value.code == expected["error"], expected["file"]
            continue
        if expected["text_source"] == "ocr" or expected["file"].endswith(".xlsx"):
            continue  # OCR and spreadsheets are checked end to end, not here
        documents = {d.name.rsplit("/", 1)[-1]: d for d in extractors.read(data, expected["file"])}
        part = expected.get("email_part")
        document = documents[part] if part not in (None, "body") else documents[expected["file"]]
        assert document.text == _sample_for(expected).text, expected["file"]
