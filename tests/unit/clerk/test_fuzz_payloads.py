"""Property tests (hypothesis) of the work-item payload schema.

Round trip: every payload Clerk can build with no NUL in its text survives ``dump`` ->
JSON text -> ``parse`` and ``get_understanding`` unchanged. Robustness: any JSON value,
and any mutation of a valid payload, is refused with ``ValueError`` only (what
``robots._common.read_payload`` and the review screen turn into ``BAD_PAYLOAD``), never
another exception.

The bad-input kinds tried here are listed in ``docs/fuzzing.md``. Budget: 150 examples
per property (about 5 s in all).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from clerk.documents import (
    SCHEMA,
    Box,
    Check,
    Field,
    FieldSource,
    LineItem,
    Reason,
    ReasonKind,
    Understanding,
    understanding_from_json,
    understanding_to_json,
)
from clerk.payloads import DocumentRef, EntryRef, ItemPayload
from clerk.schemas import parse_cell_address

FUZZ = settings(max_examples=150, deadline=None)

# No NUL: ``dump`` turns one into U+FFFD, so the database can store it (test_payloads).
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
unit = st.floats(0, 1, allow_nan=False)
coordinate = st.floats(-1e6, 1e6, allow_nan=False)
boxes = st.builds(Box, coordinate, coordinate, coordinate, coordinate)
fields = st.builds(
    Field,
    name=text,
    raw=text,
    value=st.none() | text,
    confidence=unit,
    page=st.none() | st.integers(1, 10_000),
    box=st.none() | boxes,
    source=st.sampled_from(get_args(FieldSource)),
)
# A row's cells are named by their columns, one cell per column.
line_items = st.lists(fields, max_size=4, unique_by=lambda f: f.name).map(
    lambda cells: LineItem(tuple(cells))
)
# Flattened cells as /1 and /2 items stored them, among flat fields.
old_cells = st.builds(
    lambda row, column, f: {**f, "name": f"line_items.{row}.{column}"},
    st.integers(0, 5),
    st.sampled_from(["description", "quantity", "unit_price", "amount", "x"]),
    fields.map(lambda f: {**f.__dict__, "box": None}),
)
understandings = st.builds(
    Understanding,
    document_sha256=text,
    document_name=text,
    doc_type=text,
    type_confidence=unit,
    top3=st.lists(st.tuples(text, unit), max_size=3).map(tuple),
    fields=st.lists(fields, max_size=4).map(tuple),
    checks=st.lists(
        st.builds(Check, text, st.booleans(), text, st.lists(st.integers(0, 99)).map(tuple)),
        max_size=3,
    ).map(tuple),
    decision=st.sampled_from(["auto", "review"]),
    reasons=st.lists(
        st.builds(
            Reason,
            st.sampled_from(get_args(ReasonKind)),
            text,
            text,
            st.lists(st.integers(0, 99)).map(tuple),
        ),
        max_size=3,
    ).map(tuple),
    model_versions=st.dictionaries(text, text, max_size=3),
    text_source=st.sampled_from(["text-layer", "ocr"]),
    pages=st.integers(1, 10_000),
    corrections=st.lists(fields, max_size=2).map(tuple),
    line_items=st.lists(line_items, max_size=3).map(tuple),
)
payloads = st.builds(
    ItemPayload,
    document=st.builds(DocumentRef, sha256=text, name=text, mime=text, source=text, file=text),
    entry=st.none()
    | st.builds(EntryRef, system=st.sampled_from(["erp", "cms"]), document_number=text),
    duplicate_of=st.none() | text,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(payload=payloads, understanding=st.none() | understandings)
def test_payloads_round_trip_through_json(
    payload: ItemPayload, understanding: Understanding | None
) -> None:
    if understanding is not None:
        payload = payload.with_understanding(understanding)
    again = ItemPayload.parse(json.loads(json.dumps(payload.dump())))
    assert again == payload
    assert again.get_understanding() == understanding


def _read(data: Any) -> None:
    """What the robots and the review screen do with an item's payload."""
    with contextlib.suppress(ValueError):
        ItemPayload.parse(data).get_understanding()


@FUZZ
@given(data=json_values)
def test_any_json_value_is_a_payload_or_a_value_error(data: Any) -> None:
    _read(data)


@FUZZ
@given(payload=payloads, understanding=understandings, data=st.data())
def test_a_mutated_payload_is_read_or_refused_with_a_value_error(
    payload: ItemPayload, understanding: Understanding, data: st.DataObject
) -> None:
    dumped = payload.with_understanding(understanding).dump()
    # Replace or drop one value anywhere in the tree (schemas old and new included).
    node, path = dumped, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
        )
        path.append((node, key))
        node = node[key]
    if path:
        parent, key = path[-1]
        choice = data.draw(st.sampled_from(["replace", "drop", "old-schema"]))
        if choice == "drop":
            del parent[key]
        elif choice == "old-schema":
            parent[key] = "clerk.understanding/1"
        else:
            parent[key] = data.draw(json_values)
    understanding_dict = dumped.get("understanding")
    if isinstance(understanding_dict, dict) and data.draw(st.booleans()):
        understanding_dict["schema"] = data.draw(
            st.sampled_from([SCHEMA, "clerk.understanding/1", "clerk.understanding/2"])
        )
    _read(dumped)


@FUZZ
@given(understanding=understandings, cells=st.lists(old_cells, max_size=6), data=st.data())
def test_a_version_2_payload_with_flattened_cells_is_read_or_refused_with_a_value_error(
    understanding: Understanding, cells: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Items stored before /3 carry their cells among the fields; reading them moves the
    cells into rows, and a cell whose pieces are anything at all is refused readably."""
    old = understanding_to_json(understanding) | {"schema": "clerk.understanding/2"}
    old.pop("line_items")
    old["fields"] = [*old["fields"], *cells]
    if cells and data.draw(st.booleans()):
        cells[0][data.draw(st.sampled_from(sorted(cells[0])))] = data.draw(json_values)
    try:
        read = understanding_from_json(old)
    except ValueError:
        return
    assert all(parse_cell_address(f.name) is None for f in read.fields)
    assert sum(len(r.cells) for r in read.line_items) + len(read.fields) <= len(old["fields"])
