"""Tesseract kept warm in the process (``extractors.reading._tesseract``): it reads what
the ``tesseract`` command reads, loads its languages once, and fails clearly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from clerk.errors import ApplicationError
from extractors.reading import _tesseract
from extractors.reading._ocr import PSM, VARIABLES, ocr_image, recognize
from extractors.reading.settings import ReadingSettings
from tests.unit.extractors.conftest import draw_scan

pytestmark = pytest.mark.ocr
LANGUAGES = ReadingSettings().ocr_languages
LINES = [
    (40, [(30, "Nordwind Papier GmbH"), (260, "Rechnung 4711")]),
    (70, [(30, "Total EUR 1.234,56"), (260, "Datum 16.02.2018")]),
]


@pytest.fixture(scope="module")
def page() -> Image.Image:
    image, _ = draw_scan(LINES, size_pt=(420, 100), font_pt=12)
    return image


def word_rows(tsv: str) -> list[str]:
    return [row for row in tsv.splitlines() if row.startswith("5\t")]


@pytest.mark.parametrize("dpi", [None, 300])
def test_the_engine_reads_what_the_tesseract_command_reads(
    page: Image.Image, dpi: int | None, tmp_path: Path
) -> None:
    path = tmp_path / "page.pgm"
    page.save(path)
    variables = [arg for name, value in VARIABLES.items() for arg in ("-c", f"{name}={value}")]
    command = ["tesseract", str(path), "stdout", "--psm", str(PSM), "-l", LANGUAGES]
    command += [*variables, *(["--dpi", str(dpi)] if dpi else []), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    program = subprocess.run(command, check=True, capture_output=True, env=env, text=True)
    engine = recognize(page, LANGUAGES, PSM, dpi, timeout=60)
    assert word_rows(engine) == word_rows(program.stdout)  # words, boxes, confidences
    assert "Nordwind" in engine and "1.234,56" in engine


def test_the_languages_are_loaded_once_per_process(page: Image.Image) -> None:
    ocr_image(page, 1, LANGUAGES)
    first = _tesseract._engines[LANGUAGES]
    words = ocr_image(page, 1, LANGUAGES)
    assert _tesseract._engines[LANGUAGES] is first
    assert [w.text for w in words][:3] == ["Nordwind", "Papier", "GmbH"]


def test_a_page_past_its_deadline_is_an_application_error(page: Image.Image) -> None:
    large = page.resize((page.width * 3, page.height * 3))
    with pytest.raises(ApplicationError) as caught:
        ocr_image(large, 1, LANGUAGES, timeout=0.001)
    assert caught.value.code == "OCR_FAILED"
    assert "0.001 s" in caught.value.message
    # The engine is left clean: the next page is read in full.
    assert "Nordwind" in [w.text for w in ocr_image(page, 1, LANGUAGES)]


def test_an_unknown_language_is_an_application_error_naming_it(page: Image.Image) -> None:
    with pytest.raises(ApplicationError) as caught:
        ocr_image(page, 1, "xyz")
    assert caught.value.code == "OCR_FAILED"
    assert "'xyz'" in caught.value.message and "tesseract --list-langs" in caught.value.message
    assert "xyz" not in _tesseract._engines


def test_only_grey_images_are_handed_to_the_engine(page: Image.Image) -> None:
    with pytest.raises(ValueError, match="grey"):
        ocr_image(page.convert("RGB"), 1, LANGUAGES)
