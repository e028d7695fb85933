"""Limits and OCR options for reading files.

Settings (environment, prefix ``CLERK_``):
- ``CLERK_MAX_PAGES`` (default 50): a PDF or multi-page TIFF with more pages is refused
  with ``TOO_MANY_PAGES`` before any page is read.
- ``CLERK_MAX_IMAGE_PIXELS`` (default 60000000): an image (or one TIFF frame) declaring
  more pixels is refused with ``IMAGE_TOO_LARGE`` before its pixels are decoded; 60
  megapixels holds an A3 scan at 600 DPI.
- ``CLERK_MAX_FILE_BYTES`` (default 52428800, 50 MiB): larger files (and larger e-mail
  attachments) are refused with ``FILE_TOO_LARGE`` before they are parsed.
- ``CLERK_OCR_LANGUAGES`` (default ``eng+deu+fra``): tesseract language models, joined by
  ``+``; each must be installed (``tesseract --list-langs``).
- ``CLERK_OCR_DPI`` (default 300): the resolution a scanned PDF page is rendered at
  before OCR; tesseract reads best at about 300.
- ``CLERK_OCR_PSM`` (default 6, one uniform block of text): tesseract's page segmentation
  mode for a page (3 to 13; ``tesseract --help-psm``). 6 read real receipts best; a scan
  whose reading missed a required date or amount is read again with 3, the automatic
  page layout (``pipeline.read_again``).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReadingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore", frozen=True)

    max_pages: int = Field(default=50, ge=1)
    max_image_pixels: int = Field(default=60_000_000, ge=1)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    ocr_languages: str = Field(default="eng+deu+fra", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
    ocr_dpi: int = Field(default=300, ge=72, le=1200)
    # 0-2 find no text (orientation only, or layout only): not a reading.
    ocr_psm: int = Field(default=6, ge=3, le=13)
