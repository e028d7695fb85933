"""The synthetic training corpus: documents with ground truth, rendered as the world sends them.

Text API: ``generate``, ``ocr_noise``, ``ocr_noise_sample``. Renderers (``render_pdf``,
``render_scan``, ``render_scan_pdf``, ``render_email``, ``render_xlsx``) import their
libraries lazily, so importing ``corpus`` stays cheap for trainers.
"""

from __future__ import annotations

from corpus.generate import HELD_OUT_VARIANTS, generate
from corpus.labels import held_out_labels
from corpus.noise import ocr_noise, ocr_noise_sample
from corpus.sample import Sample, Span

__all__ = [
    "HELD_OUT_VARIANTS",
    "Sample",
    "Span",
    "generate",
    "held_out_labels",
    "ocr_noise",
    "ocr_noise_sample",
]
