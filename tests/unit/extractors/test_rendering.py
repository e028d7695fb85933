"""Page images for the review screen: PDF pages and image frames as PNG."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image

from clerk.errors import BusinessError
from extractors import render_page
from tests.unit.extractors.conftest import A4_POINTS, png_bytes, text_pdf


def as_image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(png))


def test_pdf_page_renders_at_the_requested_dpi_with_ink_where_text_was() -> None:
    data = text_pdf(
        [[(72, 72, "first", "Helvetica", 10)], [(72, 144, "SECOND PAGE", "Helvetica-Bold", 30)]]
    )
    image = as_image(render_page(data, 2, dpi=72))
    assert image.size == (math.ceil(A4_POINTS[0]), math.ceil(A4_POINTS[1]))  # pdfium rounds up
    grey = image.convert("L")
    # the text baseline sits at y=144 pt: ink just above it, none in the empty top band
    assert grey.crop((72, 124, 300, 144)).getextrema()[0] < 100
    assert grey.crop((0, 0, 595, 100)).getextrema() == (255, 255)
    bigger = as_image(render_page(data, 1, dpi=150))
    assert bigger.size == (math.ceil(A4_POINTS[0] * 150 / 72), math.ceil(A4_POINTS[1] * 150 / 72))


def test_image_frames_render_scaled_from_their_recorded_dpi() -> None:
    frames = [Image.new("L", (600, 300), shade) for shade in (0, 128)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    second = as_image(render_page(buffer.getvalue(), 2, dpi=150))
    assert second.size == (300, 150)
    assert second.getextrema() == (128, 128)
    png = as_image(render_page(png_bytes(frames[0]), 1, dpi=300))
    assert png.size == (600, 300)


def test_missing_page_and_bad_dpi_are_value_errors() -> None:
    data = text_pdf([[(72, 72, "only", "Helvetica", 10)]])
    with pytest.raises(ValueError, match="page 2 does not exist; the document has pages 1 to 1"):
        render_page(data, 2)
    with pytest.raises(ValueError, match="dpi is 0"):
        render_page(data, 1, dpi=0)


def test_text_has_no_page_image() -> None:
    with pytest.raises(BusinessError) as caught:
        render_page(b"just text", 1)
    assert caught.value.code == "UNSUPPORTED_TYPE"


def test_encrypted_pdf_cannot_be_rendered() -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(text_pdf([[(72, 72, "x", "Helvetica", 10)]]))))
    writer.encrypt("pw", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(BusinessError) as caught:
        render_page(out.getvalue(), 1)
    assert caught.value.code == "ENCRYPTED_PDF"
