"""Scanned images (PNG, JPEG, TIFF with one page per frame) read by OCR.

The pixel limit is checked on the declared size, before any pixel is decoded: a 40 kB
PNG can declare 100000 x 100000 pixels and would need 10 GB once decoded.

Every frame is decoded here and prepared for tesseract (``extractors.reading._preprocess``:
grey, contrast stretched) and read once; a frame whose text came back too small is
enlarged and read a second time. Boxes are always in the original image's pixels, which
is what ``Page.width``/``height`` and a viewer drawing boxes on the original use.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from dataclasses import replace
from typing import TYPE_CHECKING

from clerk.documents import Box, Page, Word
from clerk.errors import BusinessError
from extractors.reading._ocr import ocr_image
from extractors.reading._preprocess import confidence, enlarge, enlargement, prepare
from extractors.reading.settings import ReadingSettings

if TYPE_CHECKING:
    from PIL import Image


def read_image(data: bytes, kind: str, settings: ReadingSettings) -> tuple[Page, ...]:
    from PIL import Image, UnidentifiedImageError

    declared = declared_size(data, kind)
    if declared is not None:
        check_pixels(*declared, settings, what=f"the {kind.upper()} image")
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large_from_pil(exc, settings) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, TypeError, struct.error) as exc:
        raise _truncated(kind, exc) from exc
    with image, tempfile.TemporaryDirectory(prefix="clerk-ocr-") as scratch:
        try:
            frames = getattr(image, "n_frames", 1)
        except (OSError, EOFError, SyntaxError, TypeError, struct.error, ValueError) as exc:
            raise _truncated(kind, exc) from exc
        if frames > settings.max_pages:
            raise BusinessError(
                "TOO_MANY_PAGES",
                f"the {kind.upper()} image has {frames} frames (pages), more than the limit "
                f"of {settings.max_pages}; split it, or raise CLERK_MAX_PAGES",
            )
        # Every frame is checked and written before the first OCR call, so a damaged
        # last frame fails in milliseconds instead of after seconds of wasted OCR.
        inputs: list[tuple[str, int, int]] = []
        for index in range(frames):
            try:
                image.seek(index)
                check_pixels(*image.size, settings, what=f"frame {index + 1} of the {kind.upper()}")
                path = _ocr_input(image, scratch, index)
            except (OSError, EOFError, SyntaxError, TypeError, struct.error, ValueError) as exc:
                raise _truncated(kind, exc) from exc
            inputs.append((path, image.width, image.height))
        return tuple(
            Page(number, float(width), float(height), _read(path, width, height, number, settings))
            for number, (path, width, height) in enumerate(inputs, start=1)
        )


def check_pixels(width: int, height: int, settings: ReadingSettings, *, what: str) -> None:
    if width * height > settings.max_image_pixels:
        raise BusinessError(
            "IMAGE_TOO_LARGE",
            f"{what} declares {width} x {height} = {width * height} pixels, more than the "
            f"limit of {settings.max_image_pixels}; scan at 300 DPI, or raise "
            "CLERK_MAX_IMAGE_PIXELS if such images are expected",
        )


def declared_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height from the header alone (PNG, JPEG); ``None`` when not found."""
    if kind == "png" and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if kind == "jpeg":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def _ocr_input(image: Image.Image, scratch: str, index: int) -> str:
    """The prepared frame written once, uncompressed (quick to write and to load again):
    every frame is prepared before the first is read, and a many-frame TIFF is not held
    decoded in memory meanwhile."""
    # Decodes now, so a damaged or cut-short file fails here with a clear cause (handed
    # to tesseract as it is, a cut file may be OCRed by half without a word of warning).
    image.load()
    prepared = prepare(flattened(image))
    suffix = {"1": "pbm", "L": "pgm"}.get(prepared.mode, "ppm")
    path = os.path.join(scratch, f"page-{index + 1}.{suffix}")
    prepared.save(path)
    return path


def _read(
    path: str, width: int, height: int, number: int, settings: ReadingSettings
) -> tuple[Word, ...]:
    """Words of one prepared frame (``width`` x ``height``), boxes in its pixels. A frame
    whose text is too small for tesseract is enlarged and read again, and the reading
    that read more is kept: a second pass only for such frames, none for ordinary print."""
    from PIL import Image

    with Image.open(path) as stored:
        prepared = stored.convert("L")  # a bilevel frame (PBM) too: tesseract reads grey
    words = ocr_image(prepared, number, settings.ocr_languages, psm=settings.ocr_psm)
    scale = enlargement(words, width, height, settings.max_image_pixels)
    if scale == 1.0:
        return words
    enlarged, scale = enlarge(prepared, scale)
    again = ocr_image(enlarged, number, settings.ocr_languages, psm=settings.ocr_psm)
    again = _unscaled(again, scale)
    return again if confidence(again) > confidence(words) else words


def _unscaled(words: tuple[Word, ...], scale: float) -> tuple[Word, ...]:
    """Boxes from the enlarged image's pixels back to the original's."""
    return tuple(
        replace(w, box=Box(w.box.x0 / scale, w.box.y0 / scale, w.box.x1 / scale, w.box.y1 / scale))
        if w.box is not None
        else w
        for w in words
    )


def flattened(image: Image.Image) -> Image.Image:
    """Pixels tesseract reads as a scanner would have produced them: alpha composited on
    white (transparent pixels are often black underneath), deep or CMYK modes to grey."""
    from PIL import Image

    if image.mode in ("1", "L", "RGB"):
        return image
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I"):  # 16/32-bit grey: scale to 8 bits rather than clip
        return image.point(lambda v: v * (255 / 65535)).convert("L")
    return image.convert("L" if image.mode in ("P", "LA", "PA") else "RGB")


def _too_large_from_pil(exc: Exception, settings: ReadingSettings) -> BusinessError:
    return BusinessError(
        "IMAGE_TOO_LARGE",
        f"the image is a possible decompression bomb ({exc}); the limit is "
        f"{settings.max_image_pixels} pixels; scan at 300 DPI, or raise CLERK_MAX_IMAGE_PIXELS",
    )


def _truncated(kind: str, exc: Exception) -> BusinessError:
    return BusinessError(
        "TRUNCATED_FILE",
        f"the {kind.upper()} image could not be decoded ({type(exc).__name__}: {exc}); the "
        "file is probably cut short or damaged; ask the sender for the original",
    )
