"""Vendor memory's state changes: teach from a confirmed document, list, forget.

``teach`` is what a console approval and ``clerk corrections add`` both call: the
document's confirmed values (the machine's, with the person's corrections applied) are
located on the page (``extractors.memory.observe``) and stored per vendor and layout,
one row per (vendor, doc type, layout), its ``version`` raised on every teach. Every
teach and forget is in the audit log (``memory.teach``, ``memory.forget``).

Guardrails, so one person or one slip cannot poison it:
- only ``TEACHING_ROLES`` teach (reviewer, admin; the CLI runs as a local admin): a
  viewer or operator gets ``Forbidden``;
- confirmed values that fail the document's own checks (net + tax = total, the line
  items' sum, an IBAN's checksum...) teach nothing: ``MEMORY_CONTRADICTS_CHECKS``;
- a value that is not printed on the page is not remembered (there is no place to learn);
- an entry lifts a document to ``auto`` only after ``CLERK_AUTO_MEMORY_CONFIRMATIONS``
  teaches (default 1), and only when that document's own checks pass too
  (``extractors.memory.lift``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from clerk.documents import Document, Understanding
from controlroom import _audit as audit
from controlroom._console_models import VendorMemory
from controlroom._db_types import utcnow
from controlroom.services.errors import Forbidden, InvalidInput, NotFound
from extractors.memory import (
    NAME_FIELD,
    FieldMemory,
    Layout,
    MemoryEntry,
    layout_of,
    merged,
    observe,
    vendor_keys,
)

if TYPE_CHECKING:
    from clerk.schemas import DocSchema
    from pipeline.understander import Understander

TEACHING_ROLES = ("reviewer", "admin")
# Checks whose failure says nothing about the confirmed values' consistency.
_NOT_CONTRADICTIONS = ("required:", "date_plausible")


@dataclass(frozen=True)
class Taught:
    entry: MemoryEntry
    created: bool


def teach(
    session: Session,
    workspace_id: str,
    document: Document,
    understanding: Understanding,
    *,
    actor: str,
    role: str,
    only: Collection[str] | None = None,
) -> Taught:
    """Remember where ``understanding``'s effective values (corrections applied) stand
    in ``document`` (``only`` those fields, when given: what a person confirmed).
    Raises ``Forbidden`` for a role that may not teach and
    ``InvalidInput`` when the values contradict the document's checks, name no vendor,
    or are printed nowhere on the page."""
    from extractors.validate import validate

    if role not in TEACHING_ROLES:
        raise Forbidden(
            f"a {role} may not teach the vendor memory; it takes a "
            f"{' or '.join(TEACHING_ROLES)} (`clerk users set-role`)",
            "MEMORY_ROLE",
        )
    doc_type = understanding.doc_type
    values = understanding.values()
    contradicted = [
        c
        for c in validate(doc_type, values, rows=understanding.row_values())
        if not c.passed and not c.name.startswith(_NOT_CONTRADICTIONS)
    ]
    if contradicted:
        said = "; ".join(f"{c.name}: {c.message}" for c in contradicted)
        raise InvalidInput(
            f"the confirmed values of {understanding.document_name} contradict its own "
            f"checks ({said}); nothing was learned: correct the values and confirm again",
            "MEMORY_CONTRADICTS_CHECKS",
        )
    confirmed = {k: v for k, v in values.items() if v and (only is None or k in only)}
    keys = vendor_keys(doc_type, confirmed)
    if not keys:
        name_field = NAME_FIELD.get(doc_type, "a vendor name")
        raise InvalidInput(
            f"{understanding.document_name} names no vendor ({name_field}, VAT id or IBAN); "
            "confirm the vendor's name to teach the memory",
            "MEMORY_NO_VENDOR",
        )
    fields = observe(document, doc_type, confirmed, understanding.fields)
    if not fields:
        raise InvalidInput(
            f"none of the confirmed values of {understanding.document_name} is printed on "
            "its pages as confirmed; nothing was learned",
            "MEMORY_NOTHING_PRINTED",
        )
    layout = layout_of(document)
    vendor_name = confirmed.get(NAME_FIELD.get(doc_type, "")) or keys[0]
    row = _same_layout(session, workspace_id, keys, doc_type, layout)
    before = _public(row) if row is not None else None
    now = utcnow()
    if row is None:
        row = VendorMemory(
            workspace_id=workspace_id,
            vendor_key=keys[0],
            vendor_name=vendor_name,
            doc_type=doc_type,
            layout=layout.signature,
            layout_tokens={"tokens": list(layout.tokens)},
            fields={f.name: asdict(f) for f in fields},
            confirmations=1,
            version=1,
            taught_by=actor,
            taught_at=now,
        )
        session.add(row)
    else:
        old = entry_of(row).fields
        row.fields = {f.name: asdict(f) for f in merged(old, fields)}
        row.confirmations += 1
        row.version += 1
        row.taught_by, row.taught_at = actor, now
    session.flush()
    audit.append(
        session,
        actor,
        "memory.teach",
        "vendor_memory",
        row.id,
        before=before,
        after={**_public(row), "document_sha256": understanding.document_sha256},
    )
    return Taught(entry_of(row), before is None)


def forget(session: Session, workspace_id: str, vendor: str, *, actor: str) -> int:
    """Delete every entry of ``vendor`` (its key, e.g. ``name:acmegmbh``, or its name as
    shown, or an entry's id); return how many. ``NotFound`` when there is none."""
    from extractors.vendor_master import name_key

    rows = [
        r
        for r in session.scalars(
            select(VendorMemory).where(VendorMemory.workspace_id == workspace_id)
        )
        if vendor in (r.vendor_key, r.id) or name_key(r.vendor_name) == name_key(vendor)
    ]
    if not rows:
        raise NotFound(
            f"the vendor memory has no vendor {vendor!r}; "
            "`clerk corrections list` shows the vendors it has",
            "MEMORY_UNKNOWN_VENDOR",
        )
    for row in rows:
        audit.append(session, actor, "memory.forget", "vendor_memory", row.id, before=_public(row))
    session.execute(delete(VendorMemory).where(VendorMemory.id.in_([r.id for r in rows])))
    return len(rows)


def rows(session: Session, workspace_id: str, doc_type: str | None = None,
         vendors: Sequence[str] = ()) -> list[VendorMemory]:  # fmt: skip
    stmt = select(VendorMemory).where(VendorMemory.workspace_id == workspace_id)
    if doc_type:
        stmt = stmt.where(VendorMemory.doc_type == doc_type)
    if vendors:
        stmt = stmt.where(VendorMemory.vendor_key.in_(list(vendors)))
    return list(session.scalars(stmt.order_by(VendorMemory.vendor_name, VendorMemory.layout)))


def summary(row: VendorMemory) -> dict[str, Any]:
    """One entry as ``clerk corrections list`` and the console show it."""
    return {
        "vendor_name": row.vendor_name,
        "vendor_key": row.vendor_key,
        "doc_type": row.doc_type,
        "layout": row.layout,
        "fields": sorted(row.fields),
        "confirmations": row.confirmations,
        "version": row.version,
        "taught_by": row.taught_by,
        "taught_at": row.taught_at.isoformat(),
    }


def entry_of(row: VendorMemory) -> MemoryEntry:
    return MemoryEntry(
        vendor_key=row.vendor_key,
        vendor_name=row.vendor_name,
        doc_type=row.doc_type,
        layout=Layout(row.layout, tuple(row.layout_tokens.get("tokens", ()))),
        fields=tuple(FieldMemory(**f) for f in row.fields.values()),
        confirmations=row.confirmations,
        version=row.version,
    )


def _same_layout(
    session: Session, workspace_id: str, keys: list[str], doc_type: str, layout: Layout
) -> VendorMemory | None:
    """The vendor's entry of this layout: the same signature, else the most similar one
    over ``extractors.memory.SAME_LAYOUT``."""
    from extractors.memory import SAME_LAYOUT

    best: tuple[float, VendorMemory] | None = None
    for row in rows(session, workspace_id, doc_type, keys):
        similarity = 1.0 if row.layout == layout.signature else layout.similarity(
            entry_of(row).layout)  # fmt: skip
        if similarity >= SAME_LAYOUT and (best is None or similarity > best[0]):
            best = (similarity, row)
    return best[1] if best else None


def _public(row: VendorMemory) -> dict[str, object]:
    return {
        "vendor_key": row.vendor_key,
        "vendor_name": row.vendor_name,
        "doc_type": row.doc_type,
        "layout": row.layout,
        "fields": row.fields,
        "confirmations": row.confirmations,
        "version": row.version,
    }


def teach_file(
    session: Session,
    workspace_id: str,
    path: Path,
    doc_type: str,
    submitted: dict[str, str],
    *,
    understander: Understander,
    actor: str,
    role: str,
) -> Taught:
    """``clerk corrections add``: read and understand ``path``, then
    ``teach_document`` with the confirmed values."""
    from extractors import read_all

    _check_fields(doc_type, submitted)
    try:
        document = read_all(path.read_bytes(), path.name).documents[0]
    except (OSError, IndexError) as exc:
        raise InvalidInput(f"cannot read a document from {path}: {exc}") from None
    understanding = understander.understand(document)
    return teach_document(
        session, workspace_id, document, understanding, doc_type, submitted,
        actor=actor, role=role,
    )  # fmt: skip


def teach_document(
    session: Session,
    workspace_id: str,
    document: Document,
    understanding: Understanding,
    doc_type: str,
    submitted: dict[str, str],
    *,
    actor: str,
    role: str,
) -> Taught:
    """Apply the confirmed values to the machine's ``understanding`` of ``document`` as
    a reviewer's corrections (as the console's approval does:
    ``_review_rows.corrections_from_form``), as ``doc_type``, and ``teach``. Each value is
    normalized by its field's kind first (``RM 12.50`` -> ``12.50``, ``25/12/2018`` ->
    ``2018-12-25``). Only these values are taught: the machine's other fields were not
    confirmed by anyone."""
    from controlroom.services._review_rows import corrections_from_form
    from extractors.normalize import hints_from_text, normalize

    schema = _check_fields(doc_type, submitted)
    if understanding.doc_type != doc_type:  # the person says what it is
        understanding = replace(understanding, doc_type=doc_type, fields=(), line_items=())
    hints = hints_from_text(document.text)
    values: dict[str, str] = {}
    for name, raw in submitted.items():
        spec = schema.spec(name)
        assert spec is not None
        normalized = normalize(spec.kind, raw, hints)
        if normalized is None:
            article = "an" if spec.kind[0] in "aeiou" else "a"
            raise InvalidInput(
                f"{name}={raw!r} cannot be read as {article} {spec.kind}; give one "
                "as printed on the document"
            )
        values[name] = normalized.value
    fixes = corrections_from_form(understanding, values)
    confirmed = understanding.corrected(fixes) if fixes else understanding
    return teach(
        session, workspace_id, document, confirmed, actor=actor, role=role, only=set(values)
    )


def _check_fields(doc_type: str, submitted: dict[str, str]) -> DocSchema:
    from clerk.schemas import SCHEMAS

    schema = SCHEMAS.get(doc_type)
    if schema is None or not schema.fields:
        known = ", ".join(t for t, s in SCHEMAS.items() if s.fields)
        raise InvalidInput(f"unknown document type {doc_type!r}; use one of: {known}")
    unknown = [n for n in submitted if schema.spec(n) is None]
    if unknown or not submitted:
        names = ", ".join(f.name for f in schema.fields)
        got = f"no field {', '.join(map(repr, unknown))}" if unknown else "no --field given"
        raise InvalidInput(f"a {doc_type} has {got}; its fields are: {names}")
    return schema


class DatabaseMemory:
    """The memory of a Control Room database, read once: what ``clerk understand``
    uses on the Control Room's own machine (``extractors.memory.MemorySource``)."""

    def __init__(self, entries: Sequence[MemoryEntry]) -> None:
        self._entries = tuple(entries)

    def entries(self, doc_type: str) -> Sequence[MemoryEntry]:
        return [e for e in self._entries if e.doc_type == doc_type]

    @classmethod
    def load(cls, database_url: str, workspace: str) -> DatabaseMemory | None:
        """The memory of workspace ``workspace`` in the database at ``database_url``;
        None when there is no such database yet, none when it has no memory table yet
        (it is read, never migrated)."""
        from controlroom import db
        from controlroom.models import Workspace

        path = db.sqlite_file(database_url)
        if path is not None and not Path(path).is_file():
            return None
        engine = db.make_engine(database_url)
        try:  # read only: understanding never migrates or writes the database
            if not inspect(engine).has_table(VendorMemory.__tablename__):
                return cls([])
            with db.read_transaction(db.make_sessionmaker(engine)) as session:
                found_ws = session.scalar(select(Workspace).where(Workspace.name == workspace))
                found = rows(session, found_ws.id) if found_ws is not None else []
                return cls([entry_of(r) for r in found])
        finally:
            engine.dispose()
