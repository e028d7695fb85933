"""The worker protocol over HTTP: a worker token acts for the one worker it registered."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from controlroom._db_types import utcnow
from controlroom.models import StepRun, Token, Worker
from controlroom.services import tokens
from controlroom.services import workers as workers_service
from controlroom.services.runs import InputSpec
from controlroom.states import TokenKind
from tests.unit.controlroom.api.conftest import Api


def _error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error"]["code"] == code


def _worker_token(api: Api) -> dict[str, str]:
    with api.world.tx() as s:
        _, secret = tokens.create(s, api.world.workspace_id, TokenKind.WORKER, actor="test")
    return api.headers(secret)


def _claim(api: Api, worker_id: str, token: dict[str, str]) -> dict[str, Any]:
    """A claim that ticks first (claims tick at most every 0.25 s per server)."""
    api.client.app.state.last_claim_tick = 0.0  # type: ignore[attr-defined]
    step_run = api.client.post(f"/worker-v1/workers/{worker_id}/claim", headers=token)
    assert step_run.json()["stepRun"] is not None, step_run.text
    return dict(step_run.json()["stepRun"])


def test_a_worker_token_acts_only_for_the_worker_it_registered(api: Api) -> None:
    c = api.client
    a, b, fresh = _worker_token(api), _worker_token(api), _worker_token(api)
    wa = c.post("/worker-v1/workers", headers=a, json={"name": "wa"}).json()["workerId"]
    wb = c.post("/worker-v1/workers", headers=b, json={"name": "wb"}).json()["workerId"]
    api.world.start(InputSpec({"n": 1}))
    step_run = _claim(api, wa, a)
    sr = f"/worker-v1/step-runs/{step_run['id']}"

    # B may not act as A, nor touch A's step run.
    bad = "TOKEN_OF_ANOTHER_WORKER"
    _error(c.post(f"/worker-v1/workers/{wa}/heartbeat", headers=b, json={}), 403, bad)
    _error(c.post(f"/worker-v1/workers/{wa}/claim", headers=b), 403, bad)
    _error(c.post(f"{sr}/log", headers=b, content=b"forged"), 403, "NOT_YOURS")
    _error(c.put(f"{sr}/artifacts/x.txt", headers=b, content=b"forged"), 403, "NOT_YOURS")
    _error(c.post(f"{sr}/finish", headers=b, json={"exitCode": 0}), 403, "NOT_YOURS")
    # B cannot re-register as A (it is bound to wb), and an unbound token cannot take A.
    _error(c.post("/worker-v1/workers", headers=b, json={"name": "wa"}), 403, bad)
    taken = c.post("/worker-v1/workers", headers=fresh, json={"name": "wa"})
    _error(taken, 403, "WORKER_OF_ANOTHER_TOKEN")
    # A token that registered nothing acts for no worker.
    _error(c.post(f"{sr}/finish", headers=fresh, json={}), 403, "WORKER_NOT_REGISTERED")

    # A still does all of it; B heartbeats as itself.
    assert c.post(f"/worker-v1/workers/{wb}/heartbeat", headers=b, json={}).status_code == 200
    assert c.post(f"{sr}/log", headers=a, content=b"line\n").status_code == 204
    finished = c.post(f"{sr}/finish", headers=a, json={"exitCode": 0})
    assert finished.json()["state"] == "COMPLETED", finished.text
    again = c.post("/worker-v1/workers", headers=a, json={"name": "wa"})
    assert again.json()["workerId"] == wa


def test_the_server_gives_workers_a_grace_after_it_starts(api: Api) -> None:
    c, app = api.client, api.client.app  # type: ignore[attr-defined]
    token, other = _worker_token(api), _worker_token(api)
    wid = c.post("/worker-v1/workers", headers=token, json={"name": "w"}).json()["workerId"]
    ticker = c.post("/worker-v1/workers", headers=other, json={"name": "t"}).json()["workerId"]
    api.world.start(InputSpec({"n": 1}))
    step_run = _claim(api, wid, token)
    with api.world.tx() as s:  # silent past the timeout, as across a server outage
        s.get_one(Worker, wid).last_heartbeat_at = utcnow() - timedelta(seconds=31)

    def state_after_a_tick() -> str:
        app.state.last_claim_tick = 0.0  # a claim ticks first (at most every 0.25 s)
        assert c.post(f"/worker-v1/workers/{ticker}/claim", headers=other).is_success
        with api.world.tx() as s:
            return s.get_one(StepRun, step_run["id"]).state

    started = app.state.started_at
    try:
        app.state.started_at = utcnow()  # the server has just (re)started
        assert state_after_a_tick() == "RUNNING"
        app.state.started_at = utcnow() - timedelta(seconds=60)  # the grace is over
        assert state_after_a_tick() == "CRASHED"
    finally:
        app.state.started_at = started


def test_an_exit_code_past_the_column_is_a_400(api: Api) -> None:
    c = api.client
    token = _worker_token(api)
    wid = c.post("/worker-v1/workers", headers=token, json={"name": "w"}).json()["workerId"]
    api.world.start(InputSpec({"n": 1}))
    step_run = _claim(api, wid, token)
    finish = f"/worker-v1/step-runs/{step_run['id']}/finish"
    _error(c.post(finish, headers=token, json={"exitCode": 2**40}), 400, "INVALID_INPUT")
    assert c.post(finish, headers=token, json={"exitCode": 1}).json()["state"] == "FAILED"


def test_a_binding_made_by_another_server_process_counts_at_once(api: Api) -> None:
    c = api.client
    secret = _worker_token(api)
    # A first call caches the token as bound to no worker (tokens.CACHE, 5 s) ...
    beat = c.post("/worker-v1/workers/nobody/heartbeat", headers=secret, json={})
    _error(beat, 403, "WORKER_NOT_REGISTERED")
    # ... then another server process registers it: this process's cache is not told.
    with api.world.tx() as s:
        worker = workers_service.register(s, api.world.workspace_id, "elsewhere", "h", 1, actor="t")
        s.execute(
            update(Token)
            .where(Token.token_hash == tokens.hash_secret(secret["Authorization"][7:]))
            .values(worker_id=worker.id)
        )
        worker_id = worker.id
    beat = c.post(f"/worker-v1/workers/{worker_id}/heartbeat", headers=secret, json={})
    assert beat.status_code == 200, beat.text


def test_the_server_scrubs_logs_and_artifacts_a_worker_sends_unscrubbed(api: Api) -> None:
    """An older or careless worker sends a robot's secrets as they were: the Control Room
    must not store them (issue 16 item 7), even a token a chunk boundary cut in two."""
    from clerk.redact import MASK
    from controlroom.models import Artifact

    c = api.client
    token = _worker_token(api)
    wid = c.post("/worker-v1/workers", headers=token, json={"name": "w"}).json()["workerId"]
    api.world.start(InputSpec({"n": 1}))
    step_run = _claim(api, wid, token)
    secret = step_run["env"]["RC_API_PROCESS_TOKEN"]
    sr = f"/worker-v1/step-runs/{step_run['id']}"
    leak = f"{{'Authorization': 'Bearer {secret}'}}\n".encode()
    assert c.put(f"{sr}/artifacts/output.robolog", headers=token, content=leak).is_success
    half = len(b"token: ") + len(secret) // 2
    line = f"token: {secret}\n".encode()
    for chunk in (b"Authorization: Bearer " + secret.encode() + b"\n", line[:half], line[half:]):
        assert c.post(f"{sr}/log", headers=token, content=chunk).status_code == 204
    assert c.post(f"{sr}/finish", headers=token, json={"exitCode": 0}).is_success
    with api.world.tx() as s:
        stored = {
            a.name: api.world.blobs.get(a.blob_key)
            for a in s.query(Artifact).filter(Artifact.step_run_id == step_run["id"])
        }
    assert set(stored) == {"output.robolog", "console.log"}
    for name, data in stored.items():
        assert secret.encode() not in data and MASK.encode() in data, (name, data)
    assert stored["console.log"].count(MASK.encode()) == 2


def test_a_worker_token_in_use_records_its_last_use_at_most_once_a_minute(api: Api) -> None:
    token = _worker_token(api)
    with api.world.tx() as s:
        row = s.scalars(
            select(Token).where(Token.kind == "worker").order_by(Token.created_at.desc())
        ).first()
        assert row is not None and row.last_used_at is None
        token_id = row.id
    before = utcnow()
    c = api.client
    worker_id = c.post("/worker-v1/workers", headers=token, json={"name": "wl"}).json()["workerId"]

    def last_used() -> Any:
        with api.world.tx() as s:
            return s.get_one(Token, token_id).last_used_at

    first = last_used()
    assert first is not None and first >= before.replace(microsecond=0)
    for _ in range(3):  # polls within the minute write nothing more
        c.post(f"/worker-v1/workers/{worker_id}/heartbeat", headers=token, json={})
    assert last_used() == first
    # The UPDATE's own condition: another process writes only once the minute is over.
    with api.world.tx() as s:
        assert not tokens.record_use(s, token_id, now=first + timedelta(seconds=30))
        assert tokens.record_use(s, token_id, now=first + timedelta(seconds=61))
    assert last_used() == first + timedelta(seconds=61)


def test_a_name_the_database_cannot_store_is_a_400_and_nothing_is_kept(api: Api) -> None:
    """A lone surrogate is not text (the body model refuses it); a NUL is refused by
    PostgreSQL's text columns (SQLite keeps it), which is the caller's input too: 400,
    nothing registered."""
    c = api.client
    token = _worker_token(api)
    is_postgres = api.world.factory.kw["bind"].dialect.name == "postgresql"
    names = {"lone \ud800": "INVALID_INPUT"}
    if is_postgres:
        names["nul \x00"] = "UNSTORABLE_VALUE"
    with api.world.tx() as s:
        before = len(s.scalars(select(Worker)).all())
    for name, code in names.items():
        reply = c.post(
            "/worker-v1/workers",
            headers={**token, "Content-Type": "application/json"},
            content=json.dumps({"name": name}).encode(),
        )
        _error(reply, 400, code)
    with api.world.tx() as s:
        assert len(s.scalars(select(Worker)).all()) == before
