"""extractors: files to documents (reading), documents to fields (extraction).

Public names are grouped by module; add a group for a new module below the others.

Public modules: ``extraction``, ``corroborate``, ``memory``, ``validate``,
``vendor_master`` and the subpackages ``reading``, ``normalize``, ``ner``, ``training``;
the modules named ``_*`` (header, key-value, tables, sender, receipt fields, rendering,
memory places) are private to the package.
"""

# Reading: any file -> Documents (extractors.reading); page images for review.
from extractors._rendering import page_sizes, render_page
from extractors.reading import ReadingSettings, ReadResult, read, read_all, read_path

__all__ = [
    # reading
    "ReadResult",
    "ReadingSettings",
    "page_sizes",
    "read",
    "read_all",
    "read_path",
    "render_page",
]
