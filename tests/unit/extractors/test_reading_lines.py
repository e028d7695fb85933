"""Reading order for boxed words: the line-grouping rule on its own."""

from __future__ import annotations

from clerk.documents import Box
from extractors.reading._lines import Placed, group_lines


def word(text: str, x0: float, top: float, height: float = 10.0, width: float = 20.0) -> Placed:
    return Placed(text, Box(x0, top, x0 + width, top + height))


def lines_of(placed: list[Placed]) -> list[str]:
    words = group_lines(placed, page=1)
    out: dict[int, list[str]] = {}
    for w in words:
        out.setdefault(w.line, []).append(w.text)
    assert list(out) == list(range(len(out)))
    return [" ".join(ws) for ws in out.values()]


def test_lines_top_to_bottom_words_left_to_right() -> None:
    placed = [word("c", 10, 40), word("b", 60, 20), word("a", 10, 20), word("d", 60, 40)]
    assert lines_of(placed) == ["a b", "c d"]


def test_two_columns_with_different_sizes_on_one_baseline() -> None:
    # left: 9 pt text; right: 14 pt bold on the same baseline (bottom 110), 1 pt lower
    placed = [word("Total", 300, 96, height=14), word("Acme", 10, 101, height=9)]
    assert lines_of(placed) == ["Acme Total"]


def test_close_lines_stay_apart() -> None:
    placed = [word("one", 10, 100), word("two", 10, 111), word("three", 10, 122)]
    assert lines_of(placed) == ["one", "two", "three"]


def test_a_tall_word_does_not_chain_two_lines() -> None:
    # a 22-unit-tall glyph overlaps both the line at 100 and the line at 111
    placed = [
        word("left1", 10, 100),
        word("BIG", 100, 99, height=22),
        word("left2", 10, 111),
        word("right2", 200, 111),
    ]
    result = lines_of(placed)
    assert len(result) == 2
    assert result[1] == "left2 right2"


def test_superscript_joins_its_line() -> None:
    placed = [word("m", 10, 100), word("2", 31, 97, height=6, width=4), word("area", 40, 100)]
    assert lines_of(placed) == ["m 2 area"]


def test_page_and_confidence_are_carried() -> None:
    (only,) = group_lines([Placed("x", Box(0, 0, 1, 1), 0.5)], page=3)
    assert (only.page, only.line, only.confidence) == (3, 0, 0.5)
