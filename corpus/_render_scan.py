"""Scan-like images of samples: the same layout drawn at 300 DPI with PIL and DejaVu
TrueType fonts, then a slight skew (at most 1 degree), blur, speckle and grain noise, and
JPEG artefacts, as a flatbed scanner or a phone camera leaves them.

``scan_pages`` gives one image per layout page; ``render_scan`` encodes the first page as
PNG or JPEG (one image is one page; use ``render_scan_tiff`` or ``render_scan_pdf`` for a
multi-page document).
"""

from __future__ import annotations

import io
import random
from functools import cache
from typing import TYPE_CHECKING, Literal

from corpus._geometry import layout_pages
from corpus._render_pdf import DEJAVU
from corpus.sample import Sample

if TYPE_CHECKING:
    from PIL import Image, ImageFont

DPI = 300
SCALE = DPI / 72.0

_FACES = {  # layout font family -> (regular, bold) DejaVu file stems
    "Helvetica": ("DejaVuSans", "DejaVuSans-Bold"),
    "DejaVuSans": ("DejaVuSans", "DejaVuSans-Bold"),
    "Times": ("DejaVuSerif", "DejaVuSerif-Bold"),
    "DejaVuSerif": ("DejaVuSerif", "DejaVuSerif-Bold"),
    "Courier": ("DejaVuSansMono", "DejaVuSansMono-Bold"),
}


@cache
def _font(stem: str, pixels: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path = DEJAVU / f"{stem}.ttf"
    if not path.exists():
        raise FileNotFoundError(
            f"font {path} is missing; install Debian's fonts-dejavu-core to render scans"
        )
    return ImageFont.truetype(str(path), pixels)


def scan_pages(
    sample: Sample, rng: random.Random, *, clean_background: bool | None = None
) -> list[Image.Image]:
    """One degraded grayscale page image per layout page, at 300 DPI.

    ``clean_background`` whitens the paper as scanners' auto-levels do (smaller PNGs);
    None lets ``rng`` decide."""
    clean = rng.random() < 0.5 if clean_background is None else clean_background
    from PIL import Image, ImageDraw

    regular, bold = _FACES.get(str(sample.layout.get("font")), _FACES["Helvetica"])

    def measure(text: str, is_bold: bool, size: float) -> float:
        font = _font(bold if is_bold else regular, max(6, round(size * SCALE)))
        return float(font.getlength(text)) / SCALE

    images: list[Image.Image] = []
    for page in layout_pages(sample, measure):
        image = Image.new("L", (round(page.width * SCALE), round(page.height * SCALE)), 255)
        draw = ImageDraw.Draw(image)
        ink = rng.randint(0, 45)
        for rule in page.rules:
            y = rule.y * SCALE
            draw.line([(rule.x0 * SCALE, y), (rule.x1 * SCALE, y)], fill=ink, width=2)
        for cell in page.cells:
            font = _font(bold if cell.bold else regular, max(6, round(cell.size * SCALE)))
            draw.text((cell.x * SCALE, cell.baseline * SCALE), cell.text, font=font, fill=ink,
                      anchor="ls")  # fmt: skip
        images.append(degrade(image, rng, clean))
    return images


def degrade(image: Image.Image, rng: random.Random, clean: bool = False) -> Image.Image:
    """Skew, blur, noise and a JPEG round trip; mild enough for tesseract to read."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(-1.0, 1.0)
    out = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    pixels = np.asarray(out, dtype=np.int16)
    noise = np.random.default_rng(rng.getrandbits(32))
    pixels = pixels + noise.normal(0.0, rng.uniform(2.0, 6.0), pixels.shape).astype(np.int16)
    speckles = noise.random(pixels.shape) < rng.uniform(0.00005, 0.0003)
    pixels[speckles] = noise.integers(0, 120, int(speckles.sum()))
    paper = rng.randint(228, 250)  # grey paper, not pure white
    pixels = np.clip(pixels * (paper / 255.0), 0, 255).astype(np.uint8)
    out = Image.fromarray(pixels, mode="L")
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randint(55, 85))
    buffer.seek(0)
    out = Image.open(buffer).convert("L")
    if clean:
        out = out.point(lambda v: 255 if v > 190 else v)
    return out


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "png":
        image.save(buffer, "PNG", dpi=(DPI, DPI))
    else:
        image.save(buffer, "JPEG", quality=80, dpi=(DPI, DPI))
    return buffer.getvalue()


def render_scan(
    sample: Sample,
    rng: random.Random,
    fmt: Literal["png", "jpeg"] = "png",
    *,
    clean_background: bool | None = None,
) -> bytes:
    """The first page of ``sample`` as a scanned PNG or JPEG at 300 DPI."""
    if fmt not in ("png", "jpeg"):
        raise ValueError(f"format {fmt!r} is not an image format here; use 'png' or 'jpeg'")
    return _encode(scan_pages(sample, rng, clean_background=clean_background)[0], fmt)


def render_scan_tiff(sample: Sample, rng: random.Random) -> bytes:
    """All pages as one multi-page TIFF, bilevel with CCITT G4 like an office scanner's."""
    pages = [p.point(lambda v: 255 if v > 150 else 0).convert("1") for p in scan_pages(sample, rng)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:], compression="group4",
                  dpi=(DPI, DPI))  # fmt: skip
    return buffer.getvalue()


def render_scan_pdf(
    sample: Sample, rng: random.Random, *, clean_background: bool | None = None
) -> bytes:
    """All pages as an image-only PDF: no text layer, so a reader has to OCR it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    pages = scan_pages(sample, rng, clean_background=clean_background)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)  # reproducible bytes: no dates or random ids
    for page in pages:
        width, height = page.width / SCALE, page.height / SCALE
        canvas.setPageSize((width, height))
        canvas.drawImage(ImageReader(io.BytesIO(_encode(page, "jpeg"))), 0, 0, width, height)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
