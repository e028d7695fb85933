"""The one table ``python -m bench`` prints: each row a comparison measured in the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One comparison: the peer's figure and Clerk's, in the same unit, and the goal.

    ``met`` says whether Clerk's figure meets the goal (None: nothing to judge, e.g. a row
    that only reports, or one that could not run; ``note`` then says why).
    """

    what: str
    peer: str  # who Clerk is compared with
    peer_value: float | None
    clerk: float | None
    unit: str
    goal: str
    met: bool | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.peer_value and self.clerk is not None:
            return self.clerk / self.peer_value
        return None


def failed(what: str, peer: str, goal: str, why: str) -> Row:
    """A row whose measurement could not run: the table says so instead of a figure."""
    return Row(what, peer, None, None, "", goal, None, why)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}".strip()
    return f"{value:.{1 if abs(value) >= 10 else 2}f} {unit}".strip()


def render(rows: list[Row], out: Callable[[str], None] = print) -> None:
    header = ("comparison", "peer", "peer", "Clerk", "ratio", "goal", "met")
    cells = [
        (
            r.what,
            r.peer,
            _figure(r.peer_value, r.unit),
            _figure(r.clerk, r.unit),
            "-" if r.ratio is None else f"{r.ratio:.2f}",
            r.goal,
            {True: "yes", False: "NO", None: "-"}[r.met],
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out(line)
    out("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    out(line)
    for row, cell in zip(rows, cells, strict=True):
        out("  ".join(str(c).ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        if row.note:
            out(f"    {row.note}")
    out(line)
