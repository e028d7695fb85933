"""The synthetic training corpus: documents with ground truth, rendered as the world sends them.

Text: ``generate``, ``ocr_noise``, ``ocr_noise_sample``. Renderers: ``render_pdf``,
``render_scan`` (+ ``render_scan_tiff``, ``render_scan_pdf``), ``render_email``,
``render_xlsx``; they import reportlab, PIL and openpyxl only when called, so importing
``corpus`` stays cheap for trainers. ``python -m corpus.demo_inbox OUT_DIR`` writes the demo
inbox with expected results.

Public modules: ``corpus.sample`` (``Sample``, ``Field``) and ``corpus.demo_inbox`` (a
program); the generators and renderers are private (``_*``) and reached through the names
above.
"""

from corpus._generate import HELD_OUT_VARIANTS, LANGUAGES, generate
from corpus._labels import held_out_labels
from corpus._noise import ocr_noise, ocr_noise_sample
from corpus._render_email import render_email
from corpus._render_pdf import render_pdf
from corpus._render_scan import render_scan, render_scan_pdf, render_scan_tiff
from corpus._render_xlsx import render_xlsx
from corpus.sample import Sample, Span

__all__ = [
    "HELD_OUT_VARIANTS",
    "LANGUAGES",
    "Sample",
    "Span",
    "generate",
    "held_out_labels",
    "ocr_noise",
    "ocr_noise_sample",
    "render_email",
    "render_pdf",
    "render_scan",
    "render_scan_pdf",
    "render_scan_tiff",
    "render_xlsx",
]
