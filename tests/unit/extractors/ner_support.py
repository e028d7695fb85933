"""Hand-built documents with word geometry, for the extractor tests."""

from __future__ import annotations

from clerk.documents import Box, Document, Page, Word

CHAR_WIDTH = 6.0
LINE_HEIGHT = 14.0


def make_document(pages: list[str], confidence: float = 1.0, name: str = "test.pdf") -> Document:
    """A Document whose words sit on a monospaced grid: word ``i`` of line ``n`` has
    the box its characters would take, so expected boxes can be computed by hand."""
    built: list[Page] = []
    for number, text in enumerate(pages, start=1):
        words: list[Word] = []
        for line_no, line in enumerate(text.split("\n")):
            column = 0
            for token in line.split(" "):
                if token:
                    box = Box(
                        column * CHAR_WIDTH,
                        line_no * LINE_HEIGHT,
                        (column + len(token)) * CHAR_WIDTH,
                        line_no * LINE_HEIGHT + 10.0,
                    )
                    words.append(Word(token, confidence, number, line_no, box))
                column += len(token) + 1
        built.append(Page(number, 595.0, 842.0, tuple(words)))
    return Document("0" * 64, name, "application/pdf", tuple(built), "text-layer")
