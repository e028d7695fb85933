"""Text-layer PDFs of samples, drawn with reportlab cell by cell on each line's baseline.

The font family comes from ``Sample.layout["font"]`` (Helvetica, Times, Courier, or the
DejaVu TrueType fonts shipped by Debian), labels may be bold, tables get rules, and each
layout page becomes one PDF page. Output is byte-for-byte reproducible (``invariant``).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from corpus._geometry import PageGeometry, layout_pages
from corpus.sample import Sample

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# family -> (regular, bold) reportlab font names
_FAMILIES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times": ("Times-Roman", "Times-Bold"),
    "Courier": ("Courier", "Courier-Bold"),
    "DejaVuSans": ("DejaVuSans", "DejaVuSans-Bold"),
    "DejaVuSerif": ("DejaVuSerif", "DejaVuSerif-Bold"),
}


@cache
def _register(name: str) -> str:
    """Register a DejaVu TrueType font once; fall back to Helvetica when it is missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not name.startswith("DejaVu"):
        return name
    path = DEJAVU / f"{name}.ttf"
    if not path.exists():
        return "Helvetica-Bold" if name.endswith("Bold") else "Helvetica"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def fonts_for(sample: Sample) -> tuple[str, str]:
    regular, bold = _FAMILIES.get(str(sample.layout.get("font")), _FAMILIES["Helvetica"])
    return _register(regular), _register(bold)


def pdf_geometry(sample: Sample) -> list[PageGeometry]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold = fonts_for(sample)
    return layout_pages(sample, lambda t, b, s: stringWidth(t, bold if b else regular, s))


def render_pdf(sample: Sample) -> bytes:
    """A PDF whose text layer reads back as ``sample.text``."""
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = fonts_for(sample)
    pages = pdf_geometry(sample)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(pages[0].width, pages[0].height), invariant=1)
    canvas.setTitle(sample.id)
    canvas.setAuthor("Clerk synthetic corpus")
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        canvas.setLineWidth(0.6)
        for rule in page.rules:
            canvas.line(rule.x0, page.height - rule.y, rule.x1, page.height - rule.y)
        for cell in page.cells:
            canvas.setFont(bold if cell.bold else regular, cell.size)
            canvas.drawString(cell.x, page.height - cell.baseline, cell.text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
