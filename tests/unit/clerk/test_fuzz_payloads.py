"""Property tests (hypothesis) of the work-item payload schema.

Round trip: every payload Clerk can build survives ``dump`` -> JSON text -> ``parse``
and ``get_understanding`` unchanged. Robustness: any JSON value, and any mutation of a
valid payload, is refused with ``ValueError`` only (what ``robots.common.read_payload``
and the review screen turn into ``BAD_PAYLOAD``), never another exception.

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
    Reason,
    ReasonKind,
    Understanding,
)
from clerk.payloads import DocumentRef, EntryRef, ItemPayload

FUZZ = settings(max_examples=150, deadline=None)

text = st.text(st.characters(codec="utf-8"), max_size=20)
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
understandings = st.builds(
    Understanding,
    document_sha256=text,
    document_name=text,
    doc_type=text,
    type_confidence=unit,
    top3=st.lists(st.tuples(text, unit), max_size=3).map(tuple),
    fields=st.lists(fields, max_size=4).map(tuple),
    checks=st.lists(st.builds(Check, text, st.booleans(), text), max_size=3).map(tuple),
    decision=st.sampled_from(["auto", "review"]),
    reasons=st.lists(
        st.builds(Reason, st.sampled_from(get_args(ReasonKind)), text, text), max_size=3
    ).map(tuple),
    model_versions=st.dictionaries(text, text, max_size=3),
    text_source=st.sampled_from(["text-layer", "ocr"]),
    pages=st.integers(1, 10_000),
    corrections=st.lists(fields, max_size=2).map(tuple),
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
        understanding_dict["schema"] = data.draw(st.sampled_from([SCHEMA, "clerk.understanding/1"]))
    _read(dumped)
