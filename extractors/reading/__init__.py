"""The reading layer: any incoming file becomes ``clerk.documents.Document``s.

The type is decided by content (magic bytes, mail headers), never by the file name.
Limits and OCR options: ``ReadingSettings`` (``CLERK_MAX_PAGES``, ``CLERK_MAX_IMAGE_PIXELS``,
``CLERK_MAX_FILE_BYTES``, ``CLERK_OCR_LANGUAGES``, ``CLERK_OCR_DPI``; see
``extractors.reading.settings``).

Public modules: ``images``, ``pdf``, ``second_reading``, ``settings`` and ``sniff``;
the modules named ``_*`` (core, mail, text, spreadsheet, OCR, preprocessing) are private.
"""

from extractors.reading._core import ReadResult, read, read_all, read_path
from extractors.reading.settings import ReadingSettings

__all__ = ["ReadResult", "ReadingSettings", "read", "read_all", "read_path"]
