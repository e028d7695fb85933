"""Document understanding, end to end: accuracy on held-out documents and speed per page.

    .venv/bin/python bench/bench_understanding.py [--n 240] [--n-scan 48] [--seed 11]

Accuracy runs over the corpus's held-out split (vendors, label wordings and layouts the
models never saw), rendered to real files and read back through ``extractors.read``:
text-layer PDFs, and scan-like images (skew, blur, noise, JPEG) that go through OCR.
It prints classification accuracy and macro-F1, per-field exact match after
normalization, the share decided ``auto`` and the precision of the fields among them.

``--vendor-master`` measures master-data validation (``extractors.vendor_master``) on the
same documents: each is understood without and with a vendor master of the held-out
vendors (name, VAT id and IBAN of every vendor the documents name, as an ERP would hold
them), and besides the auto rate and precision it prints the precision of every field
at or above the auto bar (auto document or not; vendor name, VAT id and IBAN apart),
which is what the master moves. The models never saw these companies; the master is
customer data, not training data. ``--master-buyers`` adds the purchase orders' buyers
to it (companies that are also vendors), so a buyer's name read as the vendor's would
be "confirmed" too.

Speed compares, in the same run and on the same page, the whole pipeline (read,
classify, extract, validate, decide) against the bare text extraction it builds on:
pdfplumber/pypdfium2 for a text-layer page, and the ``tesseract`` command for a scan.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=240, help="held-out text-layer documents")
    parser.add_argument("--n-scan", type=int, default=48, help="held-out scanned documents")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--languages",
        nargs="+",
        help="only these corpus languages, drawn uniformly (default: the corpus's weighted mix)",
    )
    parser.add_argument(
        "--vendor-master", action="store_true", help="also measure with a vendor master"
    )
    parser.add_argument(
        "--master-buyers", action="store_true", help="put the POs' buyers in the master too"
    )
    args = parser.parse_args()

    import corpus
    from pipeline.understander import Understander

    understander = Understander.load()
    print(f"models: {understander.model_versions}")
    samples = corpus.generate(args.n, args.seed, languages=args.languages, split="test")
    rng = random.Random(args.seed)
    scans = corpus.generate(args.n_scan, args.seed + 1, languages=args.languages, split="test")

    variants = {"": understander}
    if args.vendor_master:
        master = corpus_vendor_master([*samples, *scans], args.master_buyers)
        print(f"vendor master: {len(master.vendors)} vendors from the held-out documents")
        variants = {
            "without vendor master": replace(understander, vendors=None),
            "with vendor master": replace(understander, vendors=master),
        }
    report("text-layer PDFs", samples, corpus.render_pdf, variants)
    report("scan-like image PDFs (OCR)", scans, lambda s: corpus.render_scan_pdf(s, rng), variants)
    if not args.skip_speed:
        speed(understander, corpus.generate(40, args.seed + 2, doc_types=["invoice"]))


def corpus_vendor_master(samples: list, with_buyers: bool):  # -> VendorMaster
    """Every vendor the documents name, once per (name, VAT id, IBAN): the corpus draws a
    party's identifiers per document, so one name may come with several."""
    from extractors.vendor_master import MasterVendor, VendorMaster

    rows: dict[tuple[str, str, str], None] = {}
    for sample in samples:
        truth = sample.truth
        if truth.get("vendor_name"):
            key = (truth["vendor_name"], truth.get("vendor_vat_id", ""), truth.get("iban", ""))
            rows[key] = None
        if with_buyers and truth.get("buyer_name"):
            rows[(truth["buyer_name"], "", "")] = None
    vendors = [MasterVendor(str(20000 + i), *key) for i, key in enumerate(rows)]
    return VendorMaster(vendors, "held-out documents")


@dataclass
class _Tally:
    truth_types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # of the documents, in order
    fields_right: list[tuple[int, int]] = field(default_factory=list)  # per document
    autos: list[bool] = field(default_factory=list)  # per document
    predicted_types: list[str] = field(default_factory=list)
    field_hits: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    auto: int = 0
    auto_fields: int = 0
    auto_correct: int = 0
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong: list[str] = field(default_factory=list)  # auto fields that differ from the truth
    # Every field at or above the auto bar, auto document or not: (correct, vendor field).
    sure: list[tuple[bool, bool]] = field(default_factory=list)

    def add(self, sample, understanding, bar: float) -> None:  # (Sample, Understanding)
        self.truth_types.append(sample.doc_type)
        self.predicted_types.append(understanding.doc_type)
        values = understanding.addressed_values()  # cells under their addresses, as the truth
        for name, expected in sample.truth.items():
            self.field_hits[_family(name)].append(values.get(name) == expected)
        right = sum(values.get(name) == expected for name, expected in sample.truth.items())
        self.languages.append(sample.language)
        self.fields_right.append((right, len(sample.truth)))
        self.autos.append(understanding.decision == "auto")
        cells = [
            (understanding.address(i, c.name), c)
            for i, row in enumerate(understanding.line_items)
            for c in row.cells
        ]
        for name, f in [*((f.name, f) for f in understanding.fields), *cells]:
            if f.confidence >= bar and understanding.doc_type == sample.doc_type:
                vendor = name in ("vendor_name", "vendor_vat_id", "iban")
                self.sure.append((sample.truth.get(name) == f.value, vendor))
        if understanding.decision == "auto":
            self.auto += 1
            for name, value in values.items():
                self.auto_fields += 1
                correct = sample.truth.get(name) == value
                self.auto_correct += correct
                if not correct:
                    self.wrong.append(f"{sample.id} {name}={value!r} (truth "
                                      f"{sample.truth.get(name)!r})")  # fmt: skip

    def fail(self, sample, exc: Exception) -> None:
        self.failures[getattr(exc, "code", type(exc).__name__)] += 1
        self.truth_types.append(sample.doc_type)
        self.predicted_types.append("<failed>")
        self.languages.append(sample.language)
        self.fields_right.append((0, len(sample.truth)))
        self.autos.append(False)


def report(
    title: str,
    samples: list,  # list[corpus.Sample]
    render: Callable,  # Callable[[Sample], bytes]
    variants: dict,  # dict[str, Understander]: label -> understander, read once for all
) -> None:
    from extractors import read

    if not samples:
        return
    tallies = {label: _Tally() for label in variants}
    started = time.perf_counter()
    for sample in samples:
        data = render(sample)
        try:
            document = read(data, f"{sample.id}.bin")[0]
        except Exception as exc:
            for tally in tallies.values():
                tally.fail(sample, exc)
            continue
        for label, understander in variants.items():
            try:
                understanding = understander.understand(document)
                tallies[label].add(sample, understanding, understander.policy.field_confidence)
            except Exception as exc:
                tallies[label].fail(sample, exc)
    elapsed = time.perf_counter() - started
    for label, tally in tallies.items():
        _print(f"{title}{', ' + label if label else ''}", len(samples), elapsed, tally)
    if len(tallies) > 1:
        print(f"\n-- {title}: auto rate and precision by variant --")
        for label, t in tallies.items():
            precision = t.auto_correct / t.auto_fields if t.auto_fields else float("nan")
            print(f"  {label:<24} auto {t.auto}/{len(samples)} = {t.auto / len(samples):.3f}"
                  f"   precision {precision:.4f} ({t.auto_correct}/{t.auto_fields})")  # fmt: skip
            for what, picked in (("all", [c for c, _ in t.sure]),
                                 ("vendor", [c for c, v in t.sure if v])):  # fmt: skip
                print(
                    f"  {'':<24} {what} fields at/above the bar: {len(picked)}, "
                    f"precision {sum(picked) / max(1, len(picked)):.4f}"
                )


def _print(title: str, n: int, elapsed: float, tally: _Tally) -> None:
    from sklearn.metrics import accuracy_score, f1_score

    truth_types, predicted_types = tally.truth_types, tally.predicted_types
    field_hits, failures = tally.field_hits, tally.failures
    auto, auto_fields, auto_correct = tally.auto, tally.auto_fields, tally.auto_correct
    print(f"\n== {title}: {n} held-out documents, {elapsed / n * 1000:.0f} ms each ==")
    print(f"classification accuracy {accuracy_score(truth_types, predicted_types):.3f}")
    labels = sorted(set(truth_types))
    macro = f1_score(truth_types, predicted_types, labels=labels, average="macro")
    print(f"classification macro-F1 {macro:.3f}")
    if failures:
        print(f"failed to read/understand: {dict(failures)}")
    print("field exact match after normalization (hits / occurrences):")
    for name in sorted(field_hits):
        hits = field_hits[name]
        print(f"  {name:<32} {sum(hits) / len(hits):6.3f}  ({sum(hits)}/{len(hits)})")
    all_hits = [h for hits in field_hits.values() for h in hits]
    print(f"  {'ALL FIELDS':<32} {sum(all_hits) / max(1, len(all_hits)):6.3f}")
    precision = auto_correct / auto_fields if auto_fields else float("nan")
    print(f"decided auto: {auto}/{n} = {auto / n:.3f}")
    print(
        f"field precision among auto documents: {precision:.4f} "
        f"({auto_correct}/{auto_fields}; goal >= 0.995)"
    )
    for line in tally.wrong[:10]:
        print(f"  wrong in auto: {line}")
    _print_by_language(tally)


def _print_by_language(tally: _Tally) -> None:
    """Classification accuracy, all-field exact match and auto count per document language."""
    print("by language: documents, classification accuracy, all fields, decided auto")
    for language in sorted(set(tally.languages)):
        rows = [i for i, lang in enumerate(tally.languages) if lang == language]
        typed = sum(tally.truth_types[i] == tally.predicted_types[i] for i in rows)
        right = sum(tally.fields_right[i][0] for i in rows)
        total = sum(tally.fields_right[i][1] for i in rows)
        auto = sum(tally.autos[i] for i in rows)
        print(
            f"  {language:<4} {len(rows):4d}  {typed / len(rows):6.3f}  "
            f"{right / max(1, total):6.3f} ({right}/{total})  auto {auto}/{len(rows)}"
        )


def _family(name: str) -> str:
    from clerk.schemas import parse_cell_address

    cell = parse_cell_address(name)
    return f"{cell[0]}.*.{cell[2]}" if cell is not None else name


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def speed(understander, samples: list) -> None:
    import pdfplumber
    import pypdfium2

    import corpus
    from extractors import read

    one_page = next(s for s in samples if "\f" not in s.text)
    pdf = corpus.render_pdf(one_page)

    def bare_pdfplumber() -> None:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            doc.pages[0].extract_words()

    def bare_pdfium() -> None:
        doc = pypdfium2.PdfDocument(pdf)
        doc[0].get_textpage().get_text_range()
        doc.close()

    def clerk_text() -> None:
        understander.understand(read(pdf, "page.pdf")[0])

    plumber = _median_time(bare_pdfplumber, 30)
    pdfium = _median_time(bare_pdfium, 30)
    clerk = _median_time(clerk_text, 30)
    print("\n== speed: one text-layer page (median of 30) ==")
    print(f"bare pdfplumber words   {plumber * 1000:7.1f} ms")
    print(f"bare pypdfium2 text     {pdfium * 1000:7.1f} ms")
    print(f"clerk read+understand   {clerk * 1000:7.1f} ms")
    print(f"ratio clerk/pdfplumber  {clerk / plumber:7.2f}x")
    print(f"text-layer pages per second per core: {1 / clerk:.1f}")

    png = corpus.render_scan(one_page, random.Random(5))
    from extractors.reading.settings import ReadingSettings

    languages = ReadingSettings().ocr_languages
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page.png"
        image.write_bytes(png)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

        def bare_tesseract(langs: str) -> Callable[[], object]:
            command = ["tesseract", str(image), "stdout", "--psm", "6", "-l", langs]
            return lambda: subprocess.run(command, check=True, capture_output=True, env=env)

        def clerk_ocr() -> None:
            understander.understand(read(png, "page.png")[0])

        # Interleave the three so that load on the machine hits them alike.
        same, eng, ours = [], [], []
        for _ in range(7):
            same.append(_median_time(bare_tesseract(languages), 1))
            eng.append(_median_time(bare_tesseract("eng"), 1))
            ours.append(_median_time(clerk_ocr, 1))
    tess, tess_eng, clerk_scan = (statistics.median(x) for x in (same, eng, ours))
    print("\n== speed: one scanned page at 300 DPI (median of 7, interleaved) ==")
    print(f"bare tesseract -l {languages:<12} {tess * 1000:7.0f} ms")
    print(f"bare tesseract -l {'eng':<12} {tess_eng * 1000:7.0f} ms")
    print(f"clerk read+understand ({languages}) {clerk_scan * 1000:7.0f} ms")
    overhead = (clerk_scan / tess - 1) * 100
    print(
        f"ratio clerk/tesseract, same languages {clerk_scan / tess:6.3f}x"
        f"  (overhead {overhead:+.1f}%; goal <= 10%)"
    )
    print(f"ratio clerk/tesseract -l eng          {clerk_scan / tess_eng:6.3f}x")
    print(f"OCR pages per second per core: {1 / clerk_scan:.2f}")


if __name__ == "__main__":
    main()
