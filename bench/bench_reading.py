"""Reading layer cost against the bare libraries and the bare tesseract command.

1. A text-layer page: ``extractors.read`` vs bare pdfplumber ``extract_words`` (and
   pypdfium2 text extraction) on the same one-page PDF.
2. An OCR page at 300 DPI: ``extractors.read`` on the PNG vs the bare
   ``tesseract IMAGE stdout --psm 6`` command (OMP_THREAD_LIMIT=1) on the same file, both
   with tesseract's default language (eng) and with Clerk's languages
   (``CLERK_OCR_LANGUAGES``, eng+deu+fra). The goal: Clerk <= 1.10 x bare.
3. Pages per second per core on each path (every call is single-threaded).
Also: word accuracy of ``--psm 4`` and ``--psm 6`` on the table-like page, which is how
``extractors.reading._ocr.PSM`` was chosen.

Runs are interleaved (bare, Clerk, bare, ...) so that load from other processes on a
shared machine hits both sides alike; figures are medians.

    .venv/bin/python bench/bench_reading.py [--repeats 30] [--ocr-repeats 9]
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds per run for each callable, measured in rotating order."""
    return {name: statistics.median(v) for name, v in interleaved_runs(runs, repeats).items()}


def interleaved_runs(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    for fn in runs.values():
        fn()  # warm-up: imports, caches, tesseract's version probe
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for index in range(repeats):
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            times[name].append(_timed(runs[name]))
    return times


def paired_ratio(bare: list[float], clerk: list[float]) -> float:
    """1 + median(clerk - bare) / median(bare) over back-to-back pairs: on a shared
    machine, load shifts both runs of a pair alike, so the difference is steadier than a
    ratio of two separately noisy medians."""
    return 1 + statistics.median(c - b for b, c in zip(bare, clerk, strict=True)) / (
        statistics.median(bare)
    )


def word_accuracy(expected: list[str], got: list[str]) -> float:
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / max(1, len(expected))


def text_layer(pdf: bytes, repeats: int) -> float:
    import pdfplumber
    import pypdfium2

    from extractors import read

    def bare_pdfplumber() -> None:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            doc.pages[0].extract_words()

    def bare_pdfium() -> None:
        doc = pypdfium2.PdfDocument(pdf)
        page = doc[0]
        page.get_textpage().get_text_range()
        page.close()
        doc.close()

    t = interleaved(
        {
            "pdfplumber": bare_pdfplumber,
            "pdfium": bare_pdfium,
            "clerk": lambda: read(pdf, "page.pdf"),
        },
        repeats,
    )
    print(f"\n== 1. text-layer page (median of {repeats}) ==")
    print(f"bare pdfplumber extract_words   {t['pdfplumber'] * 1000:8.1f} ms")
    print(f"bare pypdfium2 get_text_range   {t['pdfium'] * 1000:8.1f} ms")
    print(f"extractors.read                 {t['clerk'] * 1000:8.1f} ms")
    print(f"ratio read / pdfplumber         {t['clerk'] / t['pdfplumber']:8.3f}")
    print(f"ratio read / pypdfium2          {t['clerk'] / t['pdfium']:8.3f}")
    return t["clerk"]


def ocr_page(png: bytes, repeats: int, languages: str) -> float:
    from extractors import ReadingSettings, read

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "page.png"
        path.write_bytes(png)

        def bare(*extra: str) -> Callable[[], object]:
            command = ["tesseract", str(path), "stdout", "--psm", "6", *extra]
            return lambda: subprocess.run(command, env=env, capture_output=True, check=True)

        english = ReadingSettings(ocr_languages="eng")
        runs = interleaved_runs(
            {
                "bare eng": bare(),
                "clerk eng": lambda: read(png, "page.png", english),
                "bare langs": bare("-l", languages),
                "clerk langs": lambda: read(png, "page.png"),
            },
            repeats,
        )
    t = {name: statistics.median(values) for name, values in runs.items()}
    paired_eng = paired_ratio(runs["bare eng"], runs["clerk eng"])
    paired_langs = paired_ratio(runs["bare langs"], runs["clerk langs"])
    print(f"\n== 2. OCR page, 300 DPI PNG (median of {repeats}) ==")
    print(f"bare `tesseract IMAGE stdout --psm 6`         {t['bare eng']:7.3f} s")
    print(f"extractors.read, CLERK_OCR_LANGUAGES=eng      {t['clerk eng']:7.3f} s")
    print(f"bare tesseract ... -l {languages:<23} {t['bare langs']:7.3f} s")
    print(f"extractors.read, default {languages:<20} {t['clerk langs']:7.3f} s")
    print("ratio read / bare (goal <= 1.10)       of medians   paired")
    print(
        f"  both eng                             {t['clerk eng'] / t['bare eng']:7.3f}"
        f"     {paired_eng:7.3f}"
    )
    print(
        f"  both {languages:<33} {t['clerk langs'] / t['bare langs']:7.3f}     {paired_langs:7.3f}"
    )
    print(
        f"  default read / bare eng-only command {t['clerk langs'] / t['bare eng']:7.3f}"
        "  (includes loading the deu and fra models)"
    )
    return t["clerk langs"]


def scanned_pdf(pdf: bytes, repeats: int) -> float:
    from extractors import read

    t = interleaved({"clerk": lambda: read(pdf, "scan.pdf")}, repeats)
    print(f"\n== scanned PDF page (render at 300 DPI + OCR), median of {repeats} ==")
    print(f"extractors.read                       {t['clerk']:7.3f} s")
    return t["clerk"]


def table_page(seed: int) -> tuple[bytes, str]:
    """A monospaced stock list with wide column gaps at 300 DPI, the layout on which
    tesseract's default segmentation reads column by column."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 40)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    rows = ["SKU        Description          Qty      Unit      Amount"]
    for _ in range(40):
        qty, unit = rng.randint(1, 99), rng.randint(100, 99999) / 100
        item = rng.choice(["Paper A4", "Toner black", "Stapler", "Folder blue", "Pens x10"])
        sku = f"{rng.choice('ABKPX')}{rng.randint(10000, 99999)}"
        rows.append(f"{sku:<10} {item:<20} {qty:>3} {unit:>9.2f} {qty * unit:>11.2f}")
    for index, row in enumerate(rows):
        draw.text((200, 300 + index * 70), row, font=face, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    return buffer.getvalue(), "\n".join(rows)


def psm_choice(pages: dict[str, tuple[bytes, str]], languages: str) -> None:
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    print("\n== page segmentation: word accuracy (in reading order) and time ==")
    with tempfile.TemporaryDirectory() as scratch:
        for title, (png, truth) in pages.items():
            path = Path(scratch) / "page.png"
            path.write_bytes(png)
            for psm in (3, 4, 6):
                started = time.perf_counter()
                text = pytesseract.image_to_string(str(path), lang=languages, config=f"--psm {psm}")
                elapsed = time.perf_counter() - started
                accuracy = word_accuracy(truth.split(), text.split())
                print(f"{title:<16} --psm {psm}: word accuracy {accuracy:.3f}, {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="text-layer repetitions")
    parser.add_argument("--ocr-repeats", type=int, default=9, help="OCR repetitions")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import corpus
    from extractors import ReadingSettings

    languages = ReadingSettings().ocr_languages
    samples = corpus.generate(10, args.seed, doc_types=["invoice"])
    sample = next(s for s in samples if "\f" not in s.text)
    pdf = corpus.render_pdf(sample)
    png = corpus.render_scan(sample, random.Random(args.seed), "png", clean_background=True)
    scan_pdf = corpus.render_scan_pdf(sample, random.Random(args.seed), clean_background=True)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    print(f"page: {sample.id} ({sample.doc_type}, {len(sample.text.split())} words)")

    psm_choice(
        {"invoice": (png, sample.text), "monospaced table": table_page(args.seed)}, languages
    )
    text_seconds = text_layer(pdf, args.repeats)
    ocr_seconds = ocr_page(png, args.ocr_repeats, languages)
    scan_seconds = scanned_pdf(scan_pdf, max(3, args.ocr_repeats // 2))

    print("\n== 3. pages per second per core (single-threaded calls) ==")
    print(f"text-layer PDF   {1 / text_seconds:8.1f}")
    print(f"OCR image        {1 / ocr_seconds:8.2f}")
    print(f"scanned PDF      {1 / scan_seconds:8.2f}")


if __name__ == "__main__":
    main()
