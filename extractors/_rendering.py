"""Page images for the review screen, rendered on demand and never stored.

``render_page(data, page_number, dpi)`` returns PNG bytes of page ``page_number``
(1-based) of a PDF (pypdfium2) or an image (PIL; a multi-page TIFF's frames are its
pages). The image is scaled so that ``dpi`` holds for PDFs (72 points per inch) and for
images whose file records a resolution; an image without one is taken to be 300 DPI,
the usual scan resolution. Boxes of a ``Page`` scale by ``rendered_width / page.width``.
The same pixel limit as reading (``CLERK_MAX_IMAGE_PIXELS``) bounds the output.
"""

from __future__ import annotations

import io
import itertools
import math
from typing import TYPE_CHECKING

from clerk.errors import BusinessError
from extractors.reading.images import check_pixels, declared_size
from extractors.reading.pdf import open_pdf
from extractors.reading.settings import ReadingSettings
from extractors.reading.sniff import describe, sniff

if TYPE_CHECKING:
    from PIL import Image

_ASSUMED_IMAGE_DPI = 300
_MAX_DPI = 600


def render_page(
    data: bytes, page_number: int, dpi: int = 150, settings: ReadingSettings | None = None
) -> bytes:
    settings = settings or ReadingSettings()
    if not 1 <= dpi <= _MAX_DPI:
        raise ValueError(f"dpi is {dpi}; use 1 to {_MAX_DPI} (150 suits a screen)")
    kind = sniff(data)
    if kind == "pdf":
        return _render_pdf(data, page_number, dpi, settings)
    if kind in ("png", "jpeg", "tiff"):
        return _render_image(data, kind, page_number, dpi, settings)
    raise BusinessError(
        "UNSUPPORTED_TYPE",
        f"cannot render {describe(data) if kind == 'unknown' else kind} as a page image; "
        "only PDFs and PNG/JPEG/TIFF scans have pages to show",
    )


def page_sizes(data: bytes, settings: ReadingSettings | None = None) -> list[tuple[float, float]]:
    """Each page's (width, height) in the unit a ``Page``'s boxes use (PDF points, image
    pixels), without rendering; ``[]`` for a file without pages to show. Under the same
    limits as reading: for an understanding written before it kept ``page_sizes``."""
    settings = settings or ReadingSettings()
    kind = sniff(data)
    if kind == "pdf":
        document = open_pdf(data)
        try:
            count = min(len(document), settings.max_pages)
            return [_size(document[i].get_size()) for i in range(count)]
        finally:
            document.close()
    if kind not in ("png", "jpeg", "tiff"):
        return []
    from PIL import Image, ImageSequence, UnidentifiedImageError

    declared = declared_size(data, kind)
    if declared is not None:
        check_pixels(*declared, settings, what=f"the {kind.upper()} image")
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        return []  # the magic bytes of an image, not one: nothing to show
    with image:
        frames = itertools.islice(ImageSequence.Iterator(image), settings.max_pages)
        return [(float(f.width), float(f.height)) for f in frames]


def _size(size: tuple[float, float]) -> tuple[float, float]:
    return float(size[0]), float(size[1])


def _render_pdf(data: bytes, page_number: int, dpi: int, settings: ReadingSettings) -> bytes:
    document = open_pdf(data)
    try:
        _check_page(page_number, len(document))
        page = document[page_number - 1]
        try:
            width, height = page.get_size()
            scale = _fit(dpi / 72, width * height, settings)
            image = page.render(scale=scale).to_pil()
        finally:
            page.close()
    finally:
        document.close()
    return _png(image)


def _render_image(
    data: bytes, kind: str, page_number: int, dpi: int, settings: ReadingSettings
) -> bytes:
    from PIL import Image

    declared = declared_size(data, kind)
    if declared is not None:
        check_pixels(*declared, settings, what=f"the {kind.upper()} image")
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BusinessError(
            "IMAGE_TOO_LARGE", f"the image is too large to render ({exc}); send a smaller scan"
        ) from exc
    with image:
        _check_page(page_number, getattr(image, "n_frames", 1))
        image.seek(page_number - 1)
        check_pixels(*image.size, settings, what=f"page {page_number} of the {kind.upper()}")
        recorded = image.info.get("dpi", (_ASSUMED_IMAGE_DPI, _ASSUMED_IMAGE_DPI))[0]
        source_dpi = float(recorded) if recorded and float(recorded) > 1 else _ASSUMED_IMAGE_DPI
        frame = image.convert("L" if image.mode in ("1", "L", "I;16", "I") else "RGB")
        ratio = dpi / source_dpi
        if not math.isclose(ratio, 1.0):
            size = (max(1, round(frame.width * ratio)), max(1, round(frame.height * ratio)))
            frame = frame.resize(size, Image.Resampling.LANCZOS)
        return _png(frame)


def _fit(scale: float, area_pt: float, settings: ReadingSettings) -> float:
    pixels = area_pt * scale * scale
    if pixels > settings.max_image_pixels:
        return scale * math.sqrt(settings.max_image_pixels / pixels)
    return scale


def _check_page(page_number: int, count: int) -> None:
    if not 1 <= page_number <= count:
        raise ValueError(f"page {page_number} does not exist; the document has pages 1 to {count}")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # compress_level 1: a review screen waits on this; size matters less than latency
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
