"""Finding labels among OCR words: whole labels only, on one row."""

from __future__ import annotations

from robots.bots.desktop._form_map import Word, _find_phrase


def word(text: str, left: int, top: int, height: int = 12) -> Word:
    return Word(text, left, top, len(text) * 9, height, (1, 1, 1))


def test_a_label_is_found_across_a_caret_that_stretched_a_box() -> None:
    words = [word("Vendor", 62, 18), word("no.", 128, 13, height=23), word("|", 156, 9, 31)]
    found = _find_phrase(words, "Vendor no.")
    assert found is not None and [w.text for w in found] == ["Vendor", "no."]


def test_a_label_inside_a_longer_label_is_not_it() -> None:
    words = [word("Net", 55, 178), word("amount", 89, 178)]
    assert _find_phrase(words, "Amount") is None
    assert _find_phrase(words, "Net amount") is not None


def test_below_skips_the_header() -> None:
    words = [word("Amount", 600, 100), word("Amount", 600, 350)]
    found = _find_phrase(words, "Amount", below=200)
    assert found is not None and found[0].top == 350
