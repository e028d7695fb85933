"""The work-item payload that travels between Clerk's robot steps (pydantic: an edge).

Every step reads and writes the same shape, so the review screen can show any failed
item the same way:

    {"schema": "clerk.item/1",
     "document": {"sha256", "name", "mime", "source", "file"},   # "file": the item's file name
     "understanding": {...} | null,                             # clerk.documents.Understanding JSON
     "entry": {"system", "document_number", "created"} | null,  # what a bot entered downstream
     "duplicate_of": "<first sighting>" | null,                 # intake saw these bytes before
     "doc_type_override": {"doc_type", "set_by", "document_sha256"} | null}  # a reviewer's type

The document's bytes travel as a work-item file named ``document.file``; they are never
inlined in the payload. Credentials never appear here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from clerk.documents import (
    DOC_TYPES,
    Understanding,
    understanding_from_json,
    understanding_to_json,
)

ITEM_SCHEMA = "clerk.item/1"


def storable_text(text: str) -> str:
    """``text`` with what no Control Room database takes replaced by U+FFFD: a NUL
    (PostgreSQL refuses it) and a lone surrogate (not UTF-8)."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode()
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def storable(value: Any) -> Any:
    """JSON ``value`` with ``storable_text`` applied to every string in it, keys too: a
    document whose text holds a NUL still gets its payload stored
    (``controlroom.services.validation.check_payload`` refuses one)."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable_text(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


class DocumentRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: str
    name: str
    mime: str
    source: str  # "inbox:<path>", "email:<message-id>", "upload:<user>", "api"
    file: str  # the work-item file holding the bytes


class EntryRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    system: Literal["erp", "cms"]
    document_number: str
    created: bool  # False: an earlier attempt of this item had already entered it


class TypeOverride(BaseModel):
    """A reviewer's document type for one document of the item's file (by its sha256: an
    e-mail holds several): the understand step reads that document as this type instead
    of the classifier's (``pipeline.understander``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc_type: str
    set_by: str  # the reviewer's user name
    document_sha256: str

    @field_validator("doc_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in DOC_TYPES:
            raise ValueError(f"document type must be one of {', '.join(DOC_TYPES)}, got {value!r}")
        return value


class ItemPayload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    schema_: str = Field(default=ITEM_SCHEMA, alias="schema")
    document: DocumentRef
    understanding: dict[str, Any] | None = None
    entry: EntryRef | None = None
    # Set by intake when the same bytes were taken in before (what, when, from where): the
    # understand step fails the item as DUPLICATE so a person decides. Clearing it in an
    # edit-and-retry sends the document through anyway.
    duplicate_of: str | None = None
    # Set by a reviewer's "Read again as this type" (``controlroom.services.retype``); kept
    # on later retries, dropped when the file is replaced.
    doc_type_override: TypeOverride | None = None
    # The documents of this file (sha256) that the understand step already passed on, on
    # an earlier attempt: a file with several documents (an e-mail) that failed for one
    # of them and is retried does not pass the others on twice.
    passed_on: tuple[str, ...] = ()

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, value: str) -> str:
        if value != ITEM_SCHEMA:
            raise ValueError(
                f"payload schema {value!r} is not {ITEM_SCHEMA!r}; "
                "the item was written by another Clerk version"
            )
        return value

    @classmethod
    def parse(cls, data: Any) -> ItemPayload:
        """Read a payload from a work item; raise ValueError with a readable message."""
        if not isinstance(data, dict):
            raise ValueError(f"work-item payload must be a JSON object, got {type(data).__name__}")
        return cls.model_validate(data)

    def dump(self) -> dict[str, Any]:
        dumped: dict[str, Any] = storable(self.model_dump(mode="json", by_alias=True))
        return dumped

    def get_understanding(self) -> Understanding | None:
        return None if self.understanding is None else understanding_from_json(self.understanding)

    def with_understanding(self, understanding: Understanding) -> ItemPayload:
        return self.model_copy(update={"understanding": understanding_to_json(understanding)})

    def with_passed_on(self, documents: Iterable[str]) -> ItemPayload:
        """With ``documents`` (sha256) recorded as passed on, beside the earlier ones."""
        return self.model_copy(
            update={"passed_on": tuple(dict.fromkeys([*self.passed_on, *documents]))}
        )
