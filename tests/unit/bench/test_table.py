"""The bench's one table: every row printed, ratios from the figures, rows that could not
run say why. (No timing is measured or asserted here.)"""

from __future__ import annotations

from bench.table import Row, failed, render


def test_rows_print_their_figures_ratio_goal_and_verdict() -> None:
    lines: list[str] = []
    rows = [
        Row("text page", "invoice2data", 10.0, 25.0, "ms", "<= 1.0x peer", False, "3 files"),
        Row("queue", "no database", 2000.0, 1000.0, "/s", ">= 1,000/s", True),
        failed("queue postgresql", "-", "-", "skipped: no --pg"),
    ]
    render(rows, lines.append)
    text = "\n".join(lines)
    assert rows[0].ratio == 2.5 and rows[1].ratio == 0.5 and rows[2].ratio is None
    assert "2.50" in text and "NO" in text and "yes" in text
    assert "25.0 ms" in text and "2,000 /s" in text
    assert "    3 files" in lines and "    skipped: no --pg" in lines
    assert len({len(line) for line in lines if set(line) <= {"-", " "}}) == 1  # one width
