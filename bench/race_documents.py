"""Documents, Clerk against its peers on the same files in the same run.

- text-layer page: ``clerk``'s whole understanding (read, classify, extract, validate,
  decide) of generated one-to-two-page invoice PDFs against invoice2data 1.0.1's
  ``extract_data`` (its text backends plus its 200-odd bundled regex templates) on the
  same files. Both warm, in this process, timed per file and interleaved, the median
  reported. invoice2data caches a file's text by path and mtime: the cache is cleared
  before each call, so each call reads its file as a new one would be read.
- OCR page: Clerk's understanding of a generated scan (PNG, 300 DPI) with every
  tesseract pass it makes (counted) against one bare ``tesseract --psm 6`` run with the
  same languages on the same image. Clerk is warm, as a worker is after its first item:
  its tesseract has loaded its languages (``extractors.reading._tesseract``); the
  command loads them on every run, which is its cost as a program.

Generated documents only (``corpus``): no real document is in the repository.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.table import Row, failed

TEXT_GOAL = "<= 1.0x peer"
OCR_GOAL = "<= 1.2x peer"


def _invoices(n: int, seed: int) -> list[Any]:  # list[corpus.Sample]
    import corpus

    return corpus.generate(n, seed, doc_types=["invoice"], split="test")


def text_layer(folder: Path, n: int, repeats: int) -> list[Row]:
    what = "text-layer invoice, per file"
    try:
        from invoice2data import extract_data
        from invoice2data.extract.loader import read_templates
        from invoice2data.input import _cached_to_text
    except ImportError as exc:
        why = f"invoice2data is not installed ({exc}): pip install -e '.[bench]'"
        return [failed(what, "invoice2data 1.0.1", TEXT_GOAL, why)]
    if shutil.which("pdftotext") is None:
        # invoice2data would fall back to nothing and "read" each file in a few ms.
        why = "pdftotext is not installed: apt-get install poppler-utils (make bench does)"
        return [failed(what, "invoice2data 1.0.1", TEXT_GOAL, why)]
    import corpus
    from pipeline.understander import Understander

    logging.getLogger("invoice2data").setLevel(logging.CRITICAL)
    files = []
    for sample in _invoices(n, seed=23):
        path = folder / f"{sample.id}.pdf"
        path.write_bytes(corpus.render_pdf(sample))
        files.append(path)
    templates = read_templates()
    understander = Understander.load()

    def peer(path: Path) -> None:
        _cached_to_text.cache_clear()
        extract_data(str(path), templates=templates)

    def clerk(path: Path) -> None:
        understander.understand_path(path)

    peer(files[0])  # warm: imports, compiled patterns, models
    clerk(files[0])
    peer_times: list[float] = []
    clerk_times: list[float] = []
    for _ in range(repeats):
        for path in files:  # interleaved, so load on the machine hits both alike
            peer_times.append(_seconds(peer, path))
            clerk_times.append(_seconds(clerk, path))
    peer_ms = statistics.median(peer_times) * 1000
    clerk_ms = statistics.median(clerk_times) * 1000
    matched = sum(1 for path in files if _matched(extract_data, path, templates, _cached_to_text))
    note = (
        f"median of {len(files)} files x {repeats}; invoice2data matched a template on "
        f"{matched}/{len(files)} (no template knows the generated vendors)"
    )
    return [
        Row(
            what,
            "invoice2data 1.0.1",
            peer_ms,
            clerk_ms,
            "ms",
            TEXT_GOAL,
            clerk_ms <= peer_ms,
            note,
        )
    ]


def _matched(extract_data: Any, path: Path, templates: Any, cache: Any) -> bool:
    cache.cache_clear()
    return bool(extract_data(str(path), templates=templates))


def _seconds(fn: Callable[[Path], None], path: Path) -> float:
    started = time.perf_counter()
    fn(path)
    return time.perf_counter() - started


def ocr_page(folder: Path, repeats: int) -> list[Row]:
    import corpus
    from extractors.reading import _ocr
    from extractors.reading.settings import ReadingSettings
    from pipeline.understander import Understander

    what = "OCR page (scan, 300 DPI)"
    settings = ReadingSettings()
    languages, psm = settings.ocr_languages, settings.ocr_psm
    sample = next(s for s in _invoices(12, seed=29) if "\f" not in s.text)
    image = folder / "scan.png"
    image.write_bytes(corpus.render_scan(sample, random.Random(5)))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", str(image), "stdout", "--psm", str(psm), "-l", languages]
    try:
        subprocess.run(command, check=True, capture_output=True, env=env)
    except (OSError, subprocess.CalledProcessError) as exc:
        return [failed(what, "bare tesseract", OCR_GOAL, f"tesseract did not run: {exc}")]
    understander = Understander.load()
    passes = [0]
    original = _ocr.recognize

    def counted(*args: Any, **kwargs: Any) -> Any:
        passes[0] += 1
        return original(*args, **kwargs)

    def bare(path: Path) -> None:
        subprocess.run(command, check=True, capture_output=True, env=env)

    def clerk(path: Path) -> None:
        understander.understand_path(path)

    _ocr.recognize = counted
    try:
        clerk(image)  # warm
        passes[0] = 0
        bare_times, clerk_times = [], []
        for _ in range(repeats):  # interleaved
            bare_times.append(_seconds(bare, image))
            clerk_times.append(_seconds(clerk, image))
    finally:
        _ocr.recognize = original
    peer_ms = statistics.median(bare_times) * 1000
    clerk_ms = statistics.median(clerk_times) * 1000
    spread = f"{min(clerk_times) * 1000:.0f}-{max(clerk_times) * 1000:.0f}"
    note = (
        f"median of {repeats}, interleaved (Clerk {spread} ms); tesseract passes per page "
        f"by Clerk: {passes[0] / repeats:.1f}; languages {languages}, --psm {psm}"
    )
    return [
        Row(
            what,
            "bare tesseract",
            peer_ms,
            clerk_ms,
            "ms",
            OCR_GOAL,
            clerk_ms <= 1.2 * peer_ms,
            note,
        )
    ]


def corpus_folder(folder: Path, n: int, scans: int) -> Path:
    """``n`` text-layer PDFs and ``scans`` scanned pages, for the memory runs."""
    import corpus

    out = folder / "inbox"
    out.mkdir(exist_ok=True)
    samples = _invoices(n + scans, seed=31)
    rng = random.Random(7)
    for sample in samples[:n]:
        (out / f"{sample.id}.pdf").write_bytes(corpus.render_pdf(sample))
    for sample in samples[n:]:
        (out / f"{sample.id}.png").write_bytes(corpus.render_scan(sample, rng))
    return out


def tempdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="clerk-bench-")
