"""Step-run artifacts expire after CLERK_ARTIFACT_RETENTION_DAYS: rows, unshared blobs and
console spools go, what is recent or shared stays, and each pass is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from controlroom.api._app import _retention_task, create_app
from controlroom.models import Artifact, AuditEntry, StepRun
from controlroom.services._step_end import end_step_run
from controlroom.services.retention import expire_all, expire_artifacts, remove_blobs
from controlroom.services.runs import InputSpec
from controlroom.services.step_logs import append_log, put_artifact, spool_path
from controlroom.settings import ControlRoomSettings
from controlroom.states import StepRunState
from tests.unit.controlroom.conftest import World

SHARED = b"the document, also kept as an artifact"


def _ended_step_run(world: World, ended: datetime, artifacts: dict[str, bytes]) -> str:
    run = world.start(InputSpec({}, (("doc.pdf", SHARED),)))
    started = world.step_run(run)
    with world.tx() as s:
        step_run = s.get_one(StepRun, started.step_run_id)
        for name, data in artifacts.items():
            put_artifact(s, world.blobs, step_run, name, data)
        end_step_run(
            s, step_run, StepRunState.COMPLETED, exit_code=0, message="", actor="t", now=ended
        )
    return started.step_run_id


def test_old_artifacts_go_recent_and_shared_bytes_stay(world: World, tmp_path: Path) -> None:
    # Ended in 2001, so no other test's step run (ended now) is old enough to go.
    old = _ended_step_run(
        world, datetime(2001, 1, 1, tzinfo=UTC), {"log.html.gz": b"old log", "copy.pdf": SHARED}
    )
    recent = _ended_step_run(
        world, datetime(2001, 2, 20, tzinfo=UTC), {"log.html.gz": b"recent log"}
    )
    files_dir = tmp_path / "files"
    append_log(files_dir, old, b"console output\n")
    with world.tx() as s:
        expired = expire_artifacts(s, retention_days=30, now=datetime(2001, 2, 25, tzinfo=UTC))
    remove_blobs(expired, world.blobs, files_dir)

    assert (expired.artifacts, expired.bytes) == (2, len(b"old log") + len(SHARED))
    assert expired.step_run_ids == (old,)
    assert not world.blobs.exists(_key(b"old log"))
    assert world.blobs.get(_key(SHARED)) == SHARED  # the work item's file still needs it
    assert world.blobs.get(_key(b"recent log")) == b"recent log"
    assert not spool_path(files_dir, old).exists()
    with world.tx() as s:
        left = s.scalars(
            select(Artifact.step_run_id).where(Artifact.step_run_id.in_([old, recent]))
        )
        assert list(left) == [recent]
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "artifacts.expired")
            .order_by(AuditEntry.seq.desc())
        ).first()  # fmt: skip
        assert entry is not None and entry.actor == "system:retention"
        assert entry.after == {
            "artifacts": 2, "bytes": expired.bytes, "step_runs": 1, "retention_days": 30
        }  # fmt: skip


def test_retention_zero_keeps_everything(world: World) -> None:
    _ended_step_run(world, datetime(2000, 1, 1, tzinfo=UTC), {"log.html.gz": b"kept forever"})
    with world.tx() as s:
        assert (
            expire_artifacts(s, retention_days=0, now=datetime(2030, 1, 1, tzinfo=UTC)).artifacts
            == 0
        )
    assert world.blobs.get(_key(b"kept forever")) == b"kept forever"


def test_the_setting_defaults_to_thirty_days_and_reads_clerk_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLERK_ARTIFACT_RETENTION_DAYS", raising=False)
    assert ControlRoomSettings().artifact_retention_days == 30
    monkeypatch.setenv("CLERK_ARTIFACT_RETENTION_DAYS", "7")
    assert ControlRoomSettings().artifact_retention_days == 7


def test_the_server_s_pass_expires_in_batches_and_deletes_the_blobs(
    world: World, tmp_path: Path
) -> None:
    _ended_step_run(world, datetime(1901, 1, 1, tzinfo=UTC), {"a.log.gz": b"a", "b.log.gz": b"b"})
    # A century: only this test's step run, ended in 1901, is that old.
    assert expire_all(world.factory, world.blobs, tmp_path, 36500, batch=1) == 2
    assert not world.blobs.exists(_key(b"a")) and not world.blobs.exists(_key(b"b"))


def test_the_server_runs_retention_unless_it_is_off(tmp_path: Path) -> None:
    def lifespans(days: float) -> list[object]:
        settings = ControlRoomSettings(
            database_url=f"sqlite:///{tmp_path / f'{days}.db'}", files_dir=tmp_path / "f",
            signing_key="k", artifact_retention_days=days,
        )  # fmt: skip
        app = create_app(settings)
        app.state.engine.dispose()
        return list(app.state.lifespans)

    assert _retention_task in lifespans(30)
    assert _retention_task not in lifespans(0)


def _key(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
