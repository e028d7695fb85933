"""The robocorp-compatible endpoints: the happy path and every kind of bad request."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select, update

from controlroom import _signing as signing
from controlroom._db_types import utcnow
from controlroom.api import create_app
from controlroom.db import make_engine
from controlroom.models import AuditEntry, File, StepRun, Token, WorkItem
from controlroom.services import tokens
from controlroom.services._step_end import end_step_run
from controlroom.services.runs import InputSpec
from controlroom.services.steps import StartedStepRun
from controlroom.settings import ControlRoomSettings
from controlroom.states import StepRunState, TokenKind
from tests.unit.controlroom.api.conftest import MAX_FILE, MAX_PAYLOAD, Api
from tests.unit.controlroom.serving import running_server


def _p(sr: StartedStepRun) -> str:
    return (
        f"/process-v1/workspaces/{sr.workspace_id}/processes/{sr.process_id}"
        f"/runs/{sr.process_run_id}/robotRuns/{sr.step_run_id}"
    )


def _w(sr: StartedStepRun, item_id: str) -> str:
    return f"/json-v1/workspaces/{sr.workspace_id}/workitems/{item_id}"


def _h(sr: StartedStepRun) -> dict[str, str]:
    return {"Authorization": f"Bearer {sr.token}"}


def _error(response: Any, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    if code:
        assert body["code"] == code
    assert body["message"]
    return str(body["message"])


def _audit_count(api: Api) -> int:
    with api.world.tx() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _started(api: Api, *inputs: InputSpec) -> StartedStepRun:
    return api.world.step_run(api.world.start(*(inputs or (InputSpec({"n": 1}),))))


def test_protocol_round_trip(api: Api) -> None:
    c = api.client
    sr = _started(api, InputSpec({"n": 1}, (("in.pdf", b"%PDF in"),)), InputSpec({"n": 2}))
    first = sr.first_item_id or ""
    w = _w(sr, first)
    assert c.get(f"{w}/data", headers=_h(sr)).json() == {"n": 1}
    assert c.put(f"{w}/data", headers=_h(sr), json={"n": 1, "seen": True}).status_code == 200
    assert c.get(f"{w}/data", headers=_h(sr)).json() == {"n": 1, "seen": True}

    listing = c.get(f"{w}/files", headers=_h(sr)).json()
    assert [(f["fileName"], f["fileSize"]) for f in listing] == [("in.pdf", 7)]
    url = c.get(f"{w}/files/{listing[0]['fileId']}", headers=_h(sr)).json()["url"]
    assert c.get(url).content == b"%PDF in"  # no Authorization: the URL is signed

    out = c.post(
        f"{_p(sr).split('/runs/')[0]}/work-items/{first}/output",
        headers=_h(sr),
        json={"payload": {"out": 1}},
    )
    out_id = out.json()["id"]
    ticket = c.post(
        f"{_w(sr, out_id)}/files", headers=_h(sr), json={"fileName": "out.bin", "fileSize": 3}
    ).json()
    uploaded = c.post(
        ticket["url"], data=ticket["fields"], files={"file": ("out.bin", b"\x00\x01\x02")}
    )
    assert uploaded.status_code == 200, uploaded.text
    files = c.get(f"{_w(sr, out_id)}/files", headers=_h(sr)).json()
    assert [f["fileName"] for f in files] == ["out.bin"]
    assert (
        c.delete(f"{_w(sr, out_id)}/files/{files[0]['fileId']}", headers=_h(sr)).status_code == 200
    )
    assert c.get(f"{_w(sr, out_id)}/files", headers=_h(sr)).json() == []

    released = c.post(
        f"{_p(sr)}/release-work-item",
        headers=_h(sr),
        json={"workItemId": first, "state": "COMPLETED"},
    )
    assert released.json() == {"workItemId": first, "state": "COMPLETED"}
    second = c.post(f"{_p(sr)}/reserve-next-work-item", headers=_h(sr)).json()["workItemId"]
    assert second and second != first
    assert c.post(f"{_p(sr)}/reserve-next-work-item", headers=_h(sr)).json() == {"workItemId": None}


def test_payloadless_item_reads_as_404(api: Api) -> None:
    sr = _started(api, InputSpec(None))
    _error(
        api.client.get(f"{_w(sr, sr.first_item_id or '')}/data", headers=_h(sr)), 404, "NO_PAYLOAD"
    )


def test_authentication_and_scope(api: Api) -> None:
    c = api.client
    sr, other = _started(api), _started(api)
    reserve = f"{_p(sr)}/reserve-next-work-item"
    _error(c.post(reserve), 401)
    _error(c.post(reserve, headers={"Authorization": "Bearer clerk_nope"}), 401)
    _error(c.post(reserve, headers={"Authorization": "Basic abc"}), 401)
    _error(c.post(reserve, headers=_h(other)), 403)  # another step run's token
    with api.world.tx() as s:
        _, expired = tokens.create(
            s,
            sr.workspace_id,
            TokenKind.STEP_RUN,
            actor="t",
            step_run_id=sr.step_run_id,
            expires_at=utcnow() - timedelta(seconds=1),
        )
        _, api_token = tokens.create(s, sr.workspace_id, TokenKind.API, actor="t")
    assert "expired" in _error(c.post(reserve, headers={"Authorization": f"Bearer {expired}"}), 401)
    _error(c.post(reserve, headers={"Authorization": f"Bearer {api_token}"}), 403)
    foreign = _w(sr, sr.first_item_id or "").replace(sr.workspace_id, "other-ws")
    _error(c.get(f"{foreign}/data", headers=_h(sr)), 403)
    _error(c.get(f"{_w(sr, other.first_item_id or '')}/data", headers=_h(sr)), 404)
    wrong_run = _p(sr).replace(sr.process_run_id, other.process_run_id)
    _error(c.post(f"{wrong_run}/reserve-next-work-item", headers=_h(sr)), 404)


def test_ended_step_run_token_stops_working(api: Api) -> None:
    sr = _started(api)
    # Used first, so the server holds it in its token cache: ending must still refuse it.
    reserve = f"{_p(sr)}/reserve-next-work-item"
    assert api.client.post(reserve, headers=_h(sr)).status_code == 200
    assert tokens.CACHE.get(tokens.hash_secret(sr.token)) is not None
    with api.world.tx() as s:
        end_step_run(
            s,
            s.get_one(StepRun, sr.step_run_id),
            StepRunState.COMPLETED,
            exit_code=0,
            message="",
            actor="t",
        )
    assert "revoked" in _error(api.client.post(reserve, headers=_h(sr)), 401)


def test_step_run_ended_elsewhere_is_refused_while_its_token_is_cached(api: Api) -> None:
    """Another process ends the step run (raw SQL: this process's cache never hears of
    it): the cached token still cannot act, because each operation checks the step run."""
    sr = _started(api)
    reserve = f"{_p(sr)}/reserve-next-work-item"
    assert api.client.post(reserve, headers=_h(sr)).status_code == 200
    with api.world.tx() as s:
        s.execute(update(StepRun).where(StepRun.id == sr.step_run_id).values(state="COMPLETED"))
        s.execute(
            update(Token).where(Token.step_run_id == sr.step_run_id).values(revoked_at=utcnow())
        )
    assert tokens.CACHE.get(tokens.hash_secret(sr.token)) is not None
    _error(api.client.post(reserve, headers=_h(sr)), 409, "STEP_RUN_NOT_RUNNING")


def test_token_revoked_elsewhere_is_refused_within_the_cache_ttl(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens.CACHE, "ttl", 0.3)
    sr = _started(api)
    reserve = f"{_p(sr)}/reserve-next-work-item"
    assert api.client.post(reserve, headers=_h(sr)).status_code == 200
    with api.world.tx() as s:  # as another process would: this cache is not told
        s.execute(
            update(Token).where(Token.step_run_id == sr.step_run_id).values(revoked_at=utcnow())
        )
    time.sleep(0.35)
    assert "revoked" in _error(api.client.post(reserve, headers=_h(sr)), 401)


def test_bad_releases_are_rejected_and_change_nothing(api: Api) -> None:
    c = api.client
    sr = _started(api)
    first = sr.first_item_id or ""
    url = f"{_p(sr)}/release-work-item"
    count = _audit_count(api)
    headers = {**_h(sr), "Content-Type": "application/json"}
    _error(c.post(url, headers=headers, content=b'{"workItemId": '), 400, "INVALID_INPUT")
    _error(c.post(url, headers=_h(sr), json={"state": "COMPLETED"}), 400)
    _error(c.post(url, headers=_h(sr), json={"workItemId": first, "state": "DONE"}), 400)
    _error(c.post(url, headers=_h(sr), json={"workItemId": "missing", "state": "COMPLETED"}), 404)
    _error(
        c.post(
            url,
            headers=_h(sr),
            json={"workItemId": first, "state": "FAILED", "exception": {"type": "WEIRD"}},
        ),
        400,
    )
    assert _audit_count(api) == count
    with api.world.tx() as s:
        assert s.get_one(WorkItem, first).state == "IN_PROGRESS"
    ok = {
        "workItemId": first,
        "state": "FAILED",
        "exception": {"type": "BUSINESS", "code": "DUPLICATE", "message": "seen before"},
    }
    assert c.post(url, headers=_h(sr), json=ok).status_code == 200
    _error(c.post(url, headers=_h(sr), json=ok), 409, "ITEM_NOT_IN_PROGRESS")
    _error(c.put(f"{_w(sr, first)}/data", headers=_h(sr), json={}), 409, "NOT_YOURS")


def test_size_limits(api: Api) -> None:
    c = api.client
    sr = _started(api)
    w = _w(sr, sr.first_item_id or "")
    _error(c.put(f"{w}/data", headers=_h(sr), json={"x": "y" * MAX_PAYLOAD}), 413, "TOO_LARGE")
    _error(
        c.put(
            f"{w}/data",
            headers={**_h(sr), "Content-Type": "application/json"},
            content=b"{not json",
        ),
        400,
        "INVALID_JSON",
    )
    _error(
        c.post(
            f"{w}/files", headers=_h(sr), json={"fileName": "big.bin", "fileSize": MAX_FILE + 1}
        ),
        413,
    )
    ticket = c.post(f"{w}/files", headers=_h(sr), json={"fileName": "a.bin", "fileSize": 1}).json()
    _error(c.post(ticket["url"], files={"file": ("a.bin", b"x" * (MAX_FILE + 1))}), 413)
    with api.world.tx() as s:
        assert s.scalars(select(File).where(File.work_item_id == sr.first_item_id)).all() == []


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "a\\b", "x\x00y", ""])
def test_unsafe_file_names(api: Api, name: str) -> None:
    sr = _started(api)
    response = api.client.post(
        f"{_w(sr, sr.first_item_id or '')}/files",
        headers=_h(sr),
        json={"fileName": name, "fileSize": 1},
    )
    _error(response, 400)


def test_signed_urls_are_checked(api: Api) -> None:
    c = api.client
    sr = _started(api, InputSpec({}, (("f.txt", b"secret"),)))
    w = _w(sr, sr.first_item_id or "")
    file_id = c.get(f"{w}/files", headers=_h(sr)).json()[0]["fileId"]
    url = c.get(f"{w}/files/{file_id}", headers=_h(sr)).json()["url"]
    assert c.get(url).content == b"secret"
    path = url.split("?")[0]
    _error(c.get(path), 403)  # unsigned
    _error(c.get(url.replace("signature=", "signature=0")), 403)  # tampered
    key = b"unit-test-key"
    stale = signing.sign(key, "GET", urlsplit(path).path, 30, now=time.time() - 60)
    assert "expired" in _error(c.get(f"{path}?{stale}"), 403)
    _error(c.post(url, files={"file": ("f.txt", b"x")}), 405)  # a download URL cannot upload
    ticket = c.post(f"{w}/files", headers=_h(sr), json={"fileName": "up.txt", "fileSize": 1}).json()
    forged = ticket["url"].replace("up.txt", "other.txt")
    _error(c.post(forged, files={"file": ("x", b"x")}), 403)  # signature names the file


def test_corrupt_blob_is_a_clear_error(api: Api) -> None:
    c = api.client
    sr = _started(api, InputSpec({}, (("c.txt", b"original bytes"),)))
    w = _w(sr, sr.first_item_id or "")
    listing = c.get(f"{w}/files", headers=_h(sr)).json()[0]
    path = api.world.blobs.path(listing["sha256"])
    path.write_bytes(b"tampered")
    url = c.get(f"{w}/files/{listing['fileId']}", headers=_h(sr)).json()["url"]
    message = _error(c.get(url), 500, "BLOB_UNAVAILABLE")
    assert "corrupt" in message and listing["sha256"] in message
    assert c.get(f"{w}/data", headers=_h(sr)).status_code == 200  # the server carries on


def test_correlation_id_is_echoed_or_made(api: Api) -> None:
    sr = _started(api)
    w = _w(sr, sr.first_item_id or "")
    echoed = api.client.get(f"{w}/data", headers={**_h(sr), "X-Correlation-ID": "abc-123"})
    assert echoed.headers["X-Correlation-ID"] == "abc-123"
    made = api.client.get(f"{w}/data", headers=_h(sr))
    assert len(made.headers["X-Correlation-ID"]) == 32
    failed = api.client.get(f"{w}/data")
    assert failed.status_code == 401
    assert len(failed.headers.get_list("X-Correlation-ID")) == 1


def test_body_limits_hold_without_content_length(api: Api) -> None:
    sr = _started(api)
    w = _w(sr, sr.first_item_id or "")

    def chunks() -> Any:
        yield b'{"x": "'
        for _ in range(MAX_PAYLOAD // 1024 + 1):
            yield b"y" * 1024
        yield b'"}'

    chunked = api.client.put(
        f"{w}/data", headers={**_h(sr), "Content-Type": "application/json"}, content=chunks()
    )
    _error(chunked, 413, "TOO_LARGE")
    big_release = api.client.post(
        f"{_p(sr)}/release-work-item",
        headers=_h(sr),
        json={"workItemId": "x" * MAX_PAYLOAD, "state": "COMPLETED"},
    )
    _error(big_release, 413, "TOO_LARGE")
    with api.world.tx() as s:
        assert s.get_one(WorkItem, sr.first_item_id).payload == {"n": 1}


def test_unknown_routes_and_methods_answer_in_json(api: Api) -> None:
    _error(api.client.get("/no/such/route"), 404)
    _error(api.client.delete("/api/v1/processes", headers=api.headers()), 405)


def test_deeply_nested_json_is_a_400(api: Api) -> None:
    sr = _started(api)
    body = "[" * 2000 + "]" * 2000
    response = api.client.put(
        _w(sr, sr.first_item_id or "") + "/data", headers=_h(sr), content=body
    )
    _error(response, 400, "JSON_TOO_DEEP")


def test_a_non_ascii_signature_is_refused_with_403(api: Api) -> None:
    response = api.client.get("/files-v1/download/f1", params={"expires": "1", "signature": "é"})
    _error(response, 403)


def test_an_upload_url_dies_with_its_item_and_checks_the_declared_size(api: Api) -> None:
    c = api.client
    sr = _started(api, InputSpec({"n": 1}))
    first = sr.first_item_id or ""
    w = _w(sr, first)

    def ticket(size: int) -> str:
        body = {"fileName": "a.bin", "fileSize": size}
        return str(c.post(f"{w}/files", headers=_h(sr), json=body).json()["url"])

    _error(c.post(ticket(3), files={"file": ("a.bin", b"thirteen byte")}), 400, "SIZE_MISMATCH")
    forged = ticket(3).replace("size=3", "size=13")
    _error(c.post(forged, files={"file": ("a.bin", b"thirteen byte")}), 403)  # size is signed
    assert c.post(ticket(3), files={"file": ("a.bin", b"abc")}).status_code == 200
    late = ticket(3)
    released = c.post(
        f"{_p(sr)}/release-work-item",
        headers=_h(sr),
        json={"workItemId": first, "state": "COMPLETED"},
    )
    assert released.status_code == 200, released.text
    _error(c.post(late, files={"file": ("a.bin", b"xyz")}), 409, "NOT_YOURS")
    files = c.get(f"/api/v1/items/{first}", headers=api.headers()).json()["files"]
    assert [(f["name"], f["size"]) for f in files] == [("a.bin", 3)]
    with api.world.tx() as s:
        (stored,) = s.scalars(select(File).where(File.work_item_id == first)).all()
        assert stored.sha256 == hashlib.sha256(b"abc").hexdigest()


def test_requests_a_restart_left_unanswered_are_answered_when_the_robot_sends_them_again(
    api: Api, db_url: str, tmp_path: Path
) -> None:
    """The stock client sends a request again when the Control Room died before
    answering it (``services._replay``). A new server on the same database stands for
    the restarted Control Room."""
    sr = _started(api, InputSpec({"n": 1}), InputSpec({"n": 2}), InputSpec({"n": 3}))
    first = sr.first_item_id or ""
    create = (f"{_p(sr).split('/runs/')[0]}/work-items/{first}/output", {"payload": {"out": 1}})
    release = (f"{_p(sr)}/release-work-item", {"workItemId": first, "state": "COMPLETED"})
    reserve = f"{_p(sr)}/reserve-next-work-item"
    made = api.client.post(create[0], headers=_h(sr), json=create[1]).json()["id"]
    with _restarted(db_url, tmp_path / "1") as again:
        assert again.post(create[0], headers=_h(sr), json=create[1]).json() == {"id": made}
    assert api.client.post(release[0], headers=_h(sr), json=release[1]).status_code == 200
    with _restarted(db_url, tmp_path / "2") as again:
        replayed = again.post(release[0], headers=_h(sr), json=release[1])
    assert replayed.json() == {"workItemId": first, "state": "COMPLETED"}
    second = api.client.post(reserve, headers=_h(sr)).json()["workItemId"]
    with _restarted(db_url, tmp_path / "3") as again:
        assert again.post(reserve, headers=_h(sr)).json() == {"workItemId": second}
    with api.world.tx() as s:
        assert s.scalars(select(WorkItem.id).where(WorkItem.parent_id == first)).all() == [made]
        held = select(WorkItem.id).where(
            WorkItem.reserved_by == sr.step_run_id, WorkItem.state == "IN_PROGRESS"
        )
        assert s.scalars(held).all() == [second]
    # Without a restart in between, a second release is the robot's mistake, as before.
    _error(api.client.post(release[0], headers=_h(sr), json=release[1]), 409)


@contextmanager
def _restarted(db_url: str, files: Path) -> Iterator[httpx.Client]:
    settings = ControlRoomSettings(
        database_url=db_url, files_dir=files, signing_key="unit-test-key"
    )
    engine = make_engine(db_url)
    app = create_app(settings, engine=engine, migrate=False, background=False)
    try:
        with running_server(app) as base_url, httpx.Client(base_url=base_url) as http:
            yield http
    finally:
        engine.dispose()
