"""``clerk audit verify`` against a real SQLite database, tampered with by plain SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from clerk_app.cli import app
from controlroom import _audit as audit
from controlroom.audit_cli import verify_chain
from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        _fill(url)
        yield url


def _fill(url: str) -> None:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    for i in range(5):
        with transaction(factory) as session:
            audit.append(
                session,
                "cli:alice",
                "item.release",
                "work_item",
                f"item-{i}",
                before={"state": "IN_PROGRESS"},
                after={"state": "COMPLETED", "n": i},
                correlation_id=f"cid-{i}",
            )
    engine.dispose()


def _drop_guards(url: str) -> None:
    """What someone with DDL rights could do before tampering: the chain still tells."""
    if url.startswith("sqlite"):
        _sql(url, "DROP TRIGGER audit_log_no_update")
        _sql(url, "DROP TRIGGER audit_log_no_delete")
    else:
        _sql(url, "DROP TRIGGER audit_log_append_only ON audit_log")


def _sql(url: str, statement: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _verify(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify", "--database-url", url])
    return result.exit_code, result.output


def test_intact_chain_prints_ok_with_the_count(db_url: str) -> None:
    code, output = _verify(db_url)
    assert code == 0, output
    assert "OK: 5 entries" in output


@pytest.mark.parametrize(
    ("statement", "seq", "reason"),
    [
        ("UPDATE audit_log SET actor = 'cli:mallory' WHERE seq = 3", 3, "content"),
        (
            'UPDATE audit_log SET after = \'{"state": "FAILED", "n": 1}\' WHERE seq = 2',
            2,
            "content",
        ),
        ("DELETE FROM audit_log WHERE seq = 4", 5, "missing"),
        # Recomputing one row's hash by hand still breaks the next row's prev_hash link.
        # (The first digit flipped: a fixed 'f' changed nothing when the hash began with f.)
        (
            "UPDATE audit_log SET hash = CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' "
            "ELSE 'f' END || substr(hash, 2) WHERE seq = 1",
            1,
            "content",
        ),
    ],
)
def test_tampering_is_found_at_the_first_broken_row(
    db_url: str, statement: str, seq: int, reason: str
) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(db_url, statement)
    _drop_guards(db_url)
    _sql(db_url, statement)
    code, output = _verify(db_url)
    assert code == 1
    assert f"BROKEN at seq {seq}" in output and reason in output


def test_a_rewritten_row_with_a_fresh_hash_breaks_the_link_to_the_next(db_url: str) -> None:
    _drop_guards(db_url)
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        from controlroom.models import AuditEntry

        entry = session.get_one(AuditEntry, 2)
        entry.actor = "cli:mallory"
        entry.hash = audit.entry_hash(entry.prev_hash, entry)  # a careful forger
    with factory() as session:
        report = verify_chain(session)
    engine.dispose()
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "prev_hash" in report.reason


def test_empty_log_is_ok(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    code, output = _verify(url)
    assert code == 0 and "OK: 0 entries" in output


def test_truncate_is_refused_on_postgresql(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        _sql(db_url, "TRUNCATE audit_log")
