"""The sandbox apps' SQLite store: schema on first use, commit on success, rollback on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox._sqlite import SqliteStore

SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"


def test_a_store_creates_its_file_and_schema(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "deep" / "app.sqlite", SCHEMA)
    with store.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
    SqliteStore(store.path, SCHEMA)  # opening it again keeps what is there


def test_work_commits_when_the_block_ends_and_rolls_back_on_an_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "app.sqlite", SCHEMA)
    with store.connect() as db:
        db.execute("INSERT INTO notes (text) VALUES ('kept')")
    with pytest.raises(RuntimeError), store.connect() as db:
        db.execute("INSERT INTO notes (text) VALUES ('lost')")
        raise RuntimeError("the request failed half-way")
    with store.connect() as db:
        rows = db.execute("SELECT text FROM notes").fetchall()
    assert [row["text"] for row in rows] == ["kept"]  # rows read by column name
