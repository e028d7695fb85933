"""The intake robot's memory of every document it took in: sha256 -> first sighting.

Why a local SQLite file and not a query to the Control Room: a robot's step-run token
reaches only its own run (``controlroom`` security), so it cannot search earlier runs'
payloads; and the check must be atomic (two intake step runs at once must not both take
the same bytes in), which SQLite's single writer plus a primary key gives for free.
The limit: the ledger belongs to one intake host. Run the Intake step on one machine (it
is cheap), or give every intake host the same ``CLERK_INTAKE_LEDGER`` on local storage of
a shared host. The ERP bot's own duplicate check (vendor + reference) stays as a second
line of defence.

A row is claimed before the output item is created and marked forwarded after, so a
robot killed in between forwards the document again when its item is retried (at least
once), never loses it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

_SCHEMA = """
CREATE TABLE IF NOT EXISTS taken (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    origin TEXT NOT NULL,        -- this very file: inbox path or item/file name
    intake_item TEXT NOT NULL,   -- the intake work item that took it in
    output_item TEXT,            -- the item created for the next step (NULL: not yet)
    taken_at TEXT NOT NULL
)
"""

ClaimState = Literal["new", "forwarded", "duplicate"]


@dataclass(frozen=True)
class Sighting:
    sha256: str
    name: str
    source: str
    origin: str
    intake_item: str
    output_item: str | None
    taken_at: str

    def describe(self) -> str:
        return (
            f"{self.name} taken in {self.taken_at[:19].replace('T', ' ')} UTC from "
            f"{self.source} (intake item {self.intake_item})"
        )


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    first: Sighting | None = None  # the earlier sighting, for "duplicate" and "forwarded"


class IntakeLedger:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level="IMMEDIATE")

    def claim(self, sha256: str, name: str, source: str, origin: str, intake_item: str) -> Claim:
        """``new``: first sighting (or this item's own unfinished one, after a crash);
        ``forwarded``: this very file of this item already went on (a retried item);
        ``duplicate``: other bytes-identical file seen before."""
        now = datetime.now(UTC).isoformat()
        with closing(self._connect()) as db, db:
            # INSERT OR IGNORE first: the primary key decides between two claimers at once.
            inserted = db.execute(
                "INSERT OR IGNORE INTO taken VALUES (?, ?, ?, ?, ?, NULL, ?)",
                (sha256, name, source, origin, intake_item, now),
            ).rowcount
            if inserted:
                return Claim("new")
            row = db.execute("SELECT * FROM taken WHERE sha256 = ?", (sha256,)).fetchone()
        first = Sighting(*row)
        if first.intake_item == intake_item and first.origin == origin:
            return Claim("forwarded" if first.output_item else "new", first)
        return Claim("duplicate", first)

    def forwarded(self, sha256: str, output_item: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE taken SET output_item = ? WHERE sha256 = ?", (output_item, sha256))

    def get(self, sha256: str) -> Sighting | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM taken WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else Sighting(*row)
