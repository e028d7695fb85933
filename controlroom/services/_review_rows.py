"""The line items a reviewer posts: checked here before any of them becomes a correction.

The review form (and ``clerk items approve --field``) names each cell by its address,
``line_items.<row>.<column>`` (``clerk.schemas.cell_address``). The server is the
authority over what the browser's table allows:

- a column must be one of the schema's columns for the document type's rows;
- a number column (quantity, unit price, amount) holds a plain decimal, ``1234.50``, as
  the machine's normalized values do; anything else is refused with the line, the column
  and the value;
- a row past the existing ones is a new line: new lines follow the last row without a
  gap, and a new line that is not empty needs every required column;
- a row whose cells are all posted empty is a removed line (``Understanding.indexed_rows``
  leaves it out); its index is kept, so every other address keeps naming its row.

``checked_cells`` returns the posted cells, stripped; ``corrections_from_form``
then turns those that differ into human ``Field``s, exactly as for flat fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from clerk.documents import Field, Understanding
from clerk.schemas import MAX_ROWS, SCHEMAS, GroupSpec, cell_address, parse_cell_address
from controlroom.services.errors import InvalidInput

CODE = "INVALID_LINE_ITEMS"
# The normalized form of a number: what the extractors store and the ERP robot types.
_DECIMAL = re.compile(r"-?\d{1,12}(?:\.\d{1,6})?")


def split_submitted(submitted: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The posted values as (flat fields by name, line item cells by address)."""
    flat: dict[str, str] = {}
    cells: dict[str, str] = {}
    for name, value in submitted.items():
        (cells if parse_cell_address(name) is not None else flat)[name] = value
    return flat, cells


def _group(understanding: Understanding) -> GroupSpec:
    schema = SCHEMAS.get(understanding.doc_type)
    group = schema.rows if schema is not None else None
    if group is None:
        raise InvalidInput(
            f"a document of type {understanding.doc_type!r} has no line items, so no cell "
            "can be corrected; correct its flat fields instead",
            CODE,
        )
    return group


def checked_cells(understanding: Understanding, cells: Mapping[str, str]) -> dict[str, str]:
    """The posted line item cells, stripped, once every one of them is acceptable;
    otherwise ``InvalidInput`` (code ``INVALID_LINE_ITEMS``) naming each problem."""
    if not cells:
        return {}
    group = _group(understanding)
    specs = {spec.name: spec for spec in group.fields}
    count = understanding.row_count()
    problems: list[str] = []
    out: dict[str, str] = {}
    new_rows: dict[int, dict[str, str]] = {}
    for address, raw in cells.items():
        cell = parse_cell_address(address)
        if cell is None:
            problems.append(f"{address!r} is no cell address, e.g. line_items.0.amount")
            continue
        name, row, column = cell
        value = raw.strip()
        if name != group.name or column not in specs:
            problems.append(
                f"{address} names no cell: the line items' cells are "
                f"{cell_address(group.name, 0, '<column>')} (0: the first line) with a "
                f"column of {', '.join(specs)}"
            )
            continue
        if row >= MAX_ROWS:
            problems.append(
                f"{address} names line {row + 1}, past the {MAX_ROWS} a document may have"
            )
            continue
        if value and specs[column].kind in ("amount", "number") and not _DECIMAL.fullmatch(value):
            problems.append(
                f"line {row + 1} {specs[column].label.lower()} {value!r} is not a number; "
                "write digits with a dot before the decimals, e.g. 1234.50"
            )
        if row >= count:
            new_rows.setdefault(row, {})[column] = value
        out[address] = value
    problems.extend(_new_row_problems(group, count, new_rows))
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InvalidInput(f"the line items were not saved: {shown}{more}", CODE)
    # A new line left empty (added, then not filled in) is no line at all.
    empty = {row for row, values in new_rows.items() if not any(values.values())}
    return {a: v for a, v in out.items() if (c := parse_cell_address(a)) and c[1] not in empty}


def _new_row_problems(
    group: GroupSpec, count: int, new_rows: dict[int, dict[str, str]]
) -> list[str]:
    problems: list[str] = []
    filled = sorted(row for row, values in new_rows.items() if any(values.values()))
    expected = list(range(count, count + len(filled)))
    if filled != expected:
        gaps = [r for r in filled if r not in expected]
        named = ", ".join(cell_address(group.name, r, next(iter(new_rows[r]))) for r in gaps[:3])
        problems.append(
            f"{named} names line {gaps[0] + 1}, but the item has {count} line item(s): a new "
            f"line follows the last without a gap (the next is line {count + 1}, "
            f"{cell_address(group.name, count, '<column>')})"
        )
        return problems
    for row in filled:
        missing = [
            spec.label.lower()
            for spec in group.fields
            if spec.required and not new_rows[row].get(spec.name)
        ]
        if missing:
            problems.append(
                f"new line {row + 1} needs its {', '.join(missing)}; "
                "fill them in or remove the line"
            )
    return problems


def corrections_from_form(understanding: Understanding, submitted: dict[str, str]) -> list[Field]:
    """A human Field for every submitted value that differs from the effective one."""
    out: list[Field] = []
    for name, raw_value in submitted.items():
        value = raw_value.strip()
        current = understanding.field(name)
        if current is not None and (current.value or "") == value:
            continue
        if current is None and not value:
            continue
        out.append(
            Field(
                name=name,
                raw=value,
                value=value or None,
                confidence=1.0,
                page=current.page if current else None,
                box=current.box if current else None,
                source="human",
            )
        )
    return out
