"""The sandbox ERP's SQLite database: vendors, invoices and purchase orders."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox._seed import Vendor, all_vendors
from sandbox._sqlite import SqliteStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vendors (
    number TEXT PRIMARY KEY, name TEXT NOT NULL, vat_id TEXT NOT NULL,
    iban TEXT NOT NULL, city TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, document_number TEXT UNIQUE,
    vendor_number TEXT NOT NULL, reference TEXT NOT NULL, doc_date TEXT NOT NULL,
    due_date TEXT NOT NULL, buyer TEXT NOT NULL, currency TEXT NOT NULL,
    net TEXT NOT NULL, tax TEXT NOT NULL, total TEXT NOT NULL, po_reference TEXT NOT NULL,
    note TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_lookup ON documents (kind, vendor_number, reference);
CREATE TABLE IF NOT EXISTS lines (
    document_id INTEGER NOT NULL REFERENCES documents(id), position INTEGER NOT NULL,
    description TEXT NOT NULL, quantity TEXT NOT NULL, unit_price TEXT NOT NULL,
    amount TEXT NOT NULL, PRIMARY KEY (document_id, position));
"""
PREFIX = {"invoice": "INV", "po": "PO"}
# Documents already in the ERP before any robot ran (a duplicate check must find them).
_HISTORY = (
    ("invoice", "10001", "AC-2025-0042", "2025-11-03", "EUR", "100.00", "19.00", "119.00"),
    ("invoice", "10004", "202100001", "2025-12-01", "EUR", "250.00", "52.50", "302.50"),
)


@dataclass(frozen=True)
class Line:
    description: str
    quantity: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class NewDocument:
    kind: str  # "invoice" | "po"
    vendor_number: str
    reference: str  # the invoice number or the PO number
    doc_date: str  # ISO
    currency: str
    net: str
    tax: str
    total: str
    lines: tuple[Line, ...]
    due_date: str = ""
    buyer: str = ""
    po_reference: str = ""
    note: str = ""


class ErpStore(SqliteStore):
    def __init__(self, path: Path, samples_dir: Path) -> None:
        super().__init__(path, _SCHEMA)
        with self.connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO vendors VALUES (?, ?, ?, ?, ?)",
                [(v.number, v.name, v.vat_id, v.iban, v.city) for v in all_vendors(samples_dir)],
            )
            if db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0:
                for kind, vendor, ref, day, cur, net, tax, total in _HISTORY:
                    line = Line("Opening balance", "1", net, net)
                    self._insert(
                        db, NewDocument(kind, vendor, ref, day, cur, net, tax, total, (line,))
                    )

    def vendor(self, number: str) -> Vendor | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM vendors WHERE number = ?", (number,)).fetchone()
        return Vendor(**dict(row)) if row else None

    def find_vendors(self, query: str) -> list[Vendor]:
        like = f"%{query.strip()}%"
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM vendors WHERE name LIKE ? OR vat_id LIKE ? OR number = ? "
                "ORDER BY name LIMIT 50",
                (like, like, query.strip()),
            ).fetchall()
        return [Vendor(**dict(r)) for r in rows]

    def add(self, doc: NewDocument) -> str:
        with self.connect() as db:
            return self._insert(db, doc)

    def _insert(self, db: sqlite3.Connection, doc: NewDocument) -> str:
        now = datetime.now(UTC)
        cursor = db.execute(
            "INSERT INTO documents (kind, vendor_number, reference, doc_date, due_date, buyer,"
            " currency, net, tax, total, po_reference, note, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.kind, doc.vendor_number, doc.reference, doc.doc_date, doc.due_date, doc.buyer,
             doc.currency, doc.net, doc.tax, doc.total, doc.po_reference, doc.note,
             now.isoformat()),
        )  # fmt: skip
        ident = int(cursor.lastrowid or 0)
        number = f"{PREFIX[doc.kind]}-{now.year}-{ident + 100:06d}"
        db.execute("UPDATE documents SET document_number = ? WHERE id = ?", (number, ident))
        db.executemany(
            "INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?)",
            [(ident, i + 1, ln.description, ln.quantity, ln.unit_price, ln.amount)
             for i, ln in enumerate(doc.lines)],
        )  # fmt: skip
        return number

    def search(self, kind: str, vendor_number: str, reference: str) -> list[dict[str, Any]]:
        sql = "SELECT * FROM documents WHERE kind = ?"
        args: list[str] = [kind]
        if vendor_number.strip():
            sql += " AND vendor_number = ?"
            args.append(vendor_number.strip())
        if reference.strip():
            sql += " AND reference = ?"
            args.append(reference.strip())
        with self.connect() as db:
            return [dict(r) for r in db.execute(sql + " ORDER BY id LIMIT 100", args)]

    def document(self, number: str) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT d.*, v.name AS vendor_name FROM documents d "
                "JOIN vendors v ON v.number = d.vendor_number WHERE document_number = ?",
                (number,),
            ).fetchone()
            if row is None:
                return None
            doc = dict(row)
            doc["lines"] = [
                dict(r)
                for r in db.execute(
                    "SELECT description, quantity, unit_price, amount FROM lines"
                    " WHERE document_id = ? ORDER BY position",
                    (doc["id"],),
                )
            ]
        return doc

    def ledger(self) -> dict[str, Any]:
        with self.connect() as db:
            numbers = [
                r[0] for r in db.execute("SELECT document_number FROM documents ORDER BY id")
            ]
            vendors = [dict(r) for r in db.execute("SELECT * FROM vendors ORDER BY number")]
        docs = [d for d in (self.document(n) for n in numbers) if d is not None]
        return {
            "invoices": [d for d in docs if d["kind"] == "invoice"],
            "purchase_orders": [d for d in docs if d["kind"] == "po"],
            "vendors": vendors,
        }
