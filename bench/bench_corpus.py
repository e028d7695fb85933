"""Synthetic corpus: generation speed, renderer speed, and text-layer fidelity.

    .venv/bin/python bench/bench_corpus.py [--n 2000] [--pdfs 300] [--scans 5] [--seed 1]

Figures:

- text samples per second for ``corpus.generate`` (the brief asks for 2,000 in a few
  seconds);
- milliseconds per document for ``corpus.render_pdf`` against a baseline measured in the
  same run: a naive reportlab PDF that draws each text line with one ``drawString`` (no
  cell placement, no fonts, no rules); the ratio is ours over the baseline's;
- the share of rendered PDFs whose text, as Clerk's reader (``extractors.read``) gives it
  back, equals ``Sample.text`` exactly (train and held-out test split);
- seconds per scan page (PIL at 300 DPI with skew, blur, noise and JPEG artefacts).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus
from corpus import Sample


def naive_pdf(sample: Sample) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for page in sample.text.split("\f"):
        y = 800.0
        for line in page.split("\n"):
            canvas.setFont("Helvetica", 9)
            canvas.drawString(50, y, line)
            y -= 12
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--scans", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    samples = corpus.generate(args.n, args.seed)
    took = time.perf_counter() - start
    print(f"generate: {args.n} samples in {took:.2f} s ({args.n / took:,.0f} samples/s)")

    spread = samples[: args.pdfs * 3 // 4] + corpus.generate(
        args.pdfs - args.pdfs * 3 // 4, args.seed, split="test"
    )
    start = time.perf_counter()
    pdfs = [corpus.render_pdf(s) for s in spread]
    ours = (time.perf_counter() - start) / len(spread)
    start = time.perf_counter()
    for s in spread:
        naive_pdf(s)
    baseline = (time.perf_counter() - start) / len(spread)
    print(
        f"render_pdf: {ours * 1000:.1f} ms/doc, naive baseline {baseline * 1000:.1f} ms/doc, "
        f"ratio {ours / baseline:.2f}x"
    )

    import extractors

    same = sum(
        extractors.read(p, "s.pdf")[0].text == s.text for p, s in zip(pdfs, spread, strict=True)
    )
    print(
        f"text-layer fidelity: {same}/{len(spread)} = {same / len(spread):.1%} "
        "identical to Sample.text"
    )

    rng = random.Random(args.seed)
    one_page = [s for s in spread if "\f" not in s.text][: args.scans]
    start = time.perf_counter()
    for s in one_page:
        corpus.render_scan(s, rng, "jpeg")
    per_page = (time.perf_counter() - start) / max(len(one_page), 1)
    print(f"render_scan: {per_page:.2f} s/page at 300 DPI")


if __name__ == "__main__":
    main()
