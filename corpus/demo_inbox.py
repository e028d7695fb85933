"""The bundled demo inbox: ``python -m corpus.demo_inbox OUT_DIR``.

Writes ``OUT_DIR/inbox/<file>`` (text PDFs of every type, scans as PNG, multi-page TIFF
and image-only PDF, two e-mails, a product-update spreadsheet, and bad files) and
``OUT_DIR/expected/<file>.json`` with what Clerk should make of each: ``doc_type`` and the
normalized ``fields`` (``clerk.schemas`` names), or the ``error`` code a bad file must
raise. For an e-mail, ``email_part`` names the document that carries the truth: ``body``,
or the attachment's file name (the cover note itself is just a note). Everything is
seeded, so a rerun gives the same expected JSON byte for byte.
"""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus._generate import one
from corpus._render_email import attachment_name, render_email
from corpus._render_pdf import render_pdf
from corpus._render_scan import render_scan, render_scan_pdf, render_scan_tiff
from corpus._render_xlsx import render_xlsx
from corpus.sample import Sample

SEED = 20140803


def _find(
    doc_type: str, language: str, pages: int = 1, test: Callable[[Sample], bool] = lambda s: True
) -> Sample:
    """The first sample of a type and language with that many pages (deterministic)."""
    for index in range(5000):
        sample = one(SEED, index, doc_type, (language,), "train")
        if sample.text.count("\f") + 1 == pages and test(sample):
            return sample
    raise LookupError(f"no {pages}-page {doc_type} in {language} among 5000 samples")


def _expected(sample: Sample, source: str) -> dict[str, Any]:
    return {
        "doc_type": sample.doc_type,
        "fields": dict(sorted(sample.truth.items())),
        "language": sample.language,
        "sample_id": sample.id,
        "text_source": source,
    }


def _encrypted(pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="clerk-demo", owner_password=None, algorithm="AES-128")  # noqa: S106 - demo file
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build() -> dict[str, tuple[bytes, dict[str, Any]]]:
    """File name -> (content, expected result)."""
    files: dict[str, tuple[bytes, dict[str, Any]]] = {}
    short = lambda s: len(s.truth) < 40  # noqa: E731 - keep scans readable on one page

    def text_pdf(name: str, sample: Sample) -> None:
        files[name] = (render_pdf(sample), _expected(sample, "text-layer"))

    text_pdf("invoice_en.pdf", _find("invoice", "en"))
    text_pdf("rechnung_de.pdf", _find("invoice", "de", pages=2))
    text_pdf("facture_fr.pdf", _find("invoice", "fr"))
    text_pdf("purchase_order_de.pdf", _find("purchase_order", "de"))
    text_pdf("receipt_fr.pdf", _find("receipt", "fr"))
    text_pdf("remittance_advice_en.pdf", _find("remittance_advice", "en"))
    text_pdf("product_update_fr.pdf", _find("product_update", "fr"))
    text_pdf("letter_de.pdf", _find("other", "de"))

    rng = random.Random(SEED)
    scan = _find("invoice", "de", test=short)
    files["scan_invoice_de.png"] = (
        render_scan(scan, rng, "png", clean_background=True),
        _expected(scan, "ocr"),
    )
    tiff = _find("invoice", "en", pages=2)
    files["scan_invoice_en.tiff"] = (render_scan_tiff(tiff, rng), _expected(tiff, "ocr"))
    order = _find("purchase_order", "fr", test=short)
    files["scan_purchase_order_fr.pdf"] = (
        render_scan_pdf(order, rng, clean_background=True),
        _expected(order, "ocr"),
    )

    first_fr = _find("invoice", "fr").id
    mailed = _find("invoice", "fr", test=lambda s: s.id != first_fr)
    attached = {**_expected(mailed, "text-layer"), "email_part": attachment_name(mailed)}
    files["mail_invoice_attached.eml"] = (
        render_email(mailed, attach="pdf"),
        attached,
    )
    body = _find("remittance_advice", "de")
    files["mail_remittance_body.eml"] = (
        render_email(body, attach="none"),
        {**_expected(body, "text-layer"), "email_part": "body"},
    )
    product = _find("product_update", "en")
    files["product_update_en.xlsx"] = (render_xlsx(product), _expected(product, "text-layer"))

    files["empty.pdf"] = (b"", {"error": "EMPTY_FILE"})
    whole = render_pdf(_find("purchase_order", "en"))
    files["truncated.pdf"] = (whole[: len(whole) // 2], {"error": "TRUNCATED_FILE"})
    locked = _find("invoice", "en", test=lambda s: s.truth.get("currency") == "GBP")
    files["encrypted.pdf"] = (_encrypted(render_pdf(locked)), {"error": "ENCRYPTED_PDF"})
    plain = _find("receipt", "en")
    files["receipt_really_text.pdf"] = (
        (plain.text.replace("\f", "\n") + "\n").encode(),
        _expected(plain, "text-layer"),
    )
    return files


def expected_json(expected: dict[str, Any], name: str) -> bytes:
    return (
        json.dumps({"file": name, **expected}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode()


def write(out_dir: Path) -> list[Path]:
    inbox, expected = out_dir / "inbox", out_dir / "expected"
    inbox.mkdir(parents=True, exist_ok=True)
    expected.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, (content, truth) in build().items():
        (inbox / name).write_bytes(content)
        (expected / f"{name}.json").write_bytes(expected_json(truth, name))
        written.append(inbox / name)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python -m corpus.demo_inbox OUT_DIR (writes OUT_DIR/inbox and OUT_DIR/expected)"
        )
        return 2
    for path in write(Path(argv[0])):
        print(f"{path.stat().st_size:>9}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
