"""Hand-built documents with word geometry, and the small trained extractor, for the
extractor tests."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from clerk.documents import Box, Document, Page, Word
from clerk.registry import ModelCard, Registry
from extractors.training.train import TrainParams

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


# The small extractor the tests share. The folder's conftest belongs to the reading
# tests, so the session-wide cache lives here: the first test module that asks trains
# it (a few seconds), every later one reuses it.
SEED = 11
SMALL = TrainParams(
    train_docs=90, other_docs=4, test_docs=36, max_epochs=5, patience=2, max_seconds=120.0
)


@functools.cache
def trained_registry() -> tuple[Registry, ModelCard]:
    from extractors.training.train import build

    root = Path(tempfile.mkdtemp(prefix="clerk-test-models-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    registry = Registry(root)
    return registry, build(registry, SEED, params=SMALL)
