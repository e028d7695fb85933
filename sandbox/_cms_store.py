"""The sandbox CMS's SQLite database: the product catalogue and drafts awaiting review."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox._sqlite import SqliteStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY, title TEXT NOT NULL, price TEXT NOT NULL, currency TEXT NOT NULL,
    stock INTEGER NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, draft_number TEXT UNIQUE, sku TEXT NOT NULL,
    title TEXT NOT NULL, price TEXT NOT NULL, currency TEXT NOT NULL, stock INTEGER NOT NULL,
    description TEXT NOT NULL, note TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL);
"""
_SEED = (
    ("SKU-1001", "A4 copy paper, 500 sheets", "4.99", 1200, "<p>Bright white, 80 g/m².</p>"),
    ("SKU-1002", "Ballpoint pen, blue (10 pack)", "3.49", 800, "<p>Smooth writing.</p>"),
    ("SKU-1003", "Office chair Ergo 200", "189.00", 35, "<p>Adjustable lumbar support.</p>"),
    ("SKU-1004", "Monitor 27 inch", "337.40", 60, "<p>2560 x 1440, IPS.</p>"),
    ("SKU-1005", "Label roll 54 x 25 mm", "12.90", 400, "<p>1000 labels per roll.</p>"),
    ("SKU-1006", "Desk lamp LED", "29.95", 150, "<p>Three colour temperatures.</p>"),
)


@dataclass(frozen=True)
class Draft:
    sku: str
    title: str
    price: str
    currency: str
    stock: int
    description: str
    note: str


class CmsStore(SqliteStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)
        with self.connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO products VALUES (?, ?, ?, 'EUR', ?, ?, 'published')",
                _SEED,
            )

    def products(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            return [dict(r) for r in db.execute("SELECT * FROM products ORDER BY sku")]

    def product(self, sku: str) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
        return dict(row) if row else None

    def drafts(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM drafts WHERE status = 'draft' ORDER BY id")
            return [dict(r) for r in rows]

    def draft(self, number: str) -> dict[str, Any] | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM drafts WHERE draft_number = ?", (number,)).fetchone()
        return dict(row) if row else None

    def save_draft(self, draft: Draft) -> str:
        with self.connect() as db:
            cursor = db.execute(
                "INSERT INTO drafts (sku, title, price, currency, stock, description, note,"
                " status, created_at) VALUES (:sku, :title, :price, :currency, :stock,"
                " :description, :note, 'draft', :created_at)",
                {**asdict(draft), "created_at": datetime.now(UTC).isoformat()},
            )
            ident = int(cursor.lastrowid or 0)
            number = f"DRAFT-{ident:06d}"
            db.execute("UPDATE drafts SET draft_number = ? WHERE id = ?", (number, ident))
        return number

    def review(self, number: str, publish: bool) -> bool:
        """A person publishes a draft (its values replace the product's) or rejects it;
        False when there is no such draft awaiting review."""
        with self.connect() as db:
            row = db.execute(
                "SELECT * FROM drafts WHERE draft_number = ? AND status = 'draft'", (number,)
            ).fetchone()
            if row is None:
                return False
            if publish:
                db.execute(
                    "INSERT OR REPLACE INTO products VALUES (?, ?, ?, ?, ?, ?, 'published')",
                    (row["sku"], row["title"], row["price"], row["currency"], row["stock"],
                     row["description"]),
                )  # fmt: skip
            status = "published" if publish else "rejected"
            db.execute("UPDATE drafts SET status = ? WHERE id = ?", (status, row["id"]))
        return True

    def ledger(self) -> dict[str, Any]:
        with self.connect() as db:
            drafts = [dict(r) for r in db.execute("SELECT * FROM drafts ORDER BY id")]
        return {"drafts": drafts, "products": self.products()}
