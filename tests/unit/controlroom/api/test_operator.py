"""The JSON operator API: processes, runs (JSON and multipart), items, actions, tokens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from controlroom.services import queue, tokens
from controlroom.services.runs import InputSpec
from controlroom.states import TokenKind
from tests.unit.controlroom.api.conftest import MAX_PAYLOAD, Api

ROBOT = Path(__file__).parents[3] / "integration" / "controlroom" / "robot"


def _error(response: Any, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert code is None or body["code"] == code
    return str(body["message"])


def test_processes(api: Api) -> None:
    c, h = api.client, api.headers()
    step = {"robot_dir": str(ROBOT), "task_name": "Consume"}
    created = c.post("/api/v1/processes", headers=h, json={"name": "p2", "steps": [step]})
    assert created.status_code == 201, created.text
    first = created.json()["steps"][0]
    assert (first["task_name"], first["max_attempts"], first["backoff_seconds"]) == (
        "Consume",
        3,
        30.0,
    )  # CLERK_RETRY_* defaults
    names = [p["name"] for p in c.get("/api/v1/processes", headers=h).json()["items"]]
    assert names == ["p2", "proc"]
    _error(
        c.post("/api/v1/processes", headers=h, json={"name": "p2", "steps": [step]}),
        409,
        "ALREADY_EXISTS",
    )
    bad = {"robot_dir": str(ROBOT), "task_name": "Nope"}
    assert "Consume, Finish" in _error(
        c.post("/api/v1/processes", headers=h, json={"name": "p3", "steps": [bad]}), 400
    )
    _error(c.post("/api/v1/processes", headers=h, json={"name": "p4", "steps": []}), 400)


def test_start_runs_json_and_multipart(api: Api) -> None:
    c, h = api.client, api.headers()
    run = c.post(
        "/api/v1/processes/proc/runs",
        headers=h,
        json={"items": [{"payload": {"n": 1}}, {"payload": {"n": 2}}]},
    )
    assert run.status_code == 201, run.text
    listed = c.get("/api/v1/items", headers=h, params={"run": run.json()["id"]}).json()
    assert [i["payload"] for i in listed["items"]] == [{"n": 1}, {"n": 2}]
    multi = c.post(
        "/api/v1/processes/proc/runs",
        headers=h,
        data={"items": json.dumps([{"payload": {"doc": "a"}, "files": ["a.txt", "b.txt"]}])},
        files=[("files", ("a.txt", b"A")), ("files", ("b.txt", b"B"))],
    )
    assert multi.status_code == 201, multi.text
    item = c.get("/api/v1/items", headers=h, params={"run": multi.json()["id"]}).json()["items"][0]
    detail = c.get(f"/api/v1/items/{item['id']}", headers=h).json()
    assert [(f["name"], f["size"]) for f in detail["files"]] == [("a.txt", 1), ("b.txt", 1)]
    got = c.get(f"/api/v1/items/{item['id']}/files/{detail['files'][1]['id']}", headers=h)
    assert got.content == b"B"
    _error(c.get(f"/api/v1/items/{item['id']}/files/nope", headers=h), 404)
    per_file = c.post(
        "/api/v1/processes/proc/runs",
        headers=h,
        files=[("files", ("x.pdf", b"x")), ("files", ("y.pdf", b"y"))],
    )
    counts = c.get(f"/api/v1/runs/{per_file.json()['id']}", headers=h).json()["items_by_step"]
    assert counts == {"1": {"PENDING": 2}}


def test_start_run_bad_input(api: Api) -> None:
    c, h = api.client, api.headers()
    url = "/api/v1/processes/proc/runs"
    _error(c.post(url, headers={**h, "Content-Type": "application/json"}, content=b"[1,"), 400)
    _error(c.post(url, headers=h, json={"items": [{"payload": {"x": "y" * MAX_PAYLOAD}}]}), 413)
    _error(
        c.post(
            url,
            headers=h,
            data={"items": json.dumps([{"files": ["missing.txt"]}])},
            files=[("files", ("other.txt", b"x"))],
        ),
        400,
    )
    _error(c.post(url, headers=h, files=[("files", ("../up.txt", b"x"))]), 400, "BAD_FILE_NAME")
    _error(c.post("/api/v1/processes/nope/runs", headers=h, json={}), 404)
    assert c.get("/api/v1/runs", headers=h).json()["items"] == []  # nothing was started


def test_operator_actions_and_filters(api: Api) -> None:
    c, h = api.client, api.headers()
    run_id = api.world.start(*[InputSpec({"n": i}) for i in range(3)])
    sr = api.world.step_run(run_id)
    with api.world.tx() as s:
        first = sr.first_item_id or ""
        queue.release(
            s,
            sr.step_run_id,
            first,
            "FAILED",
            {"type": "BUSINESS", "code": "UNKNOWN_VENDOR", "message": "ACME?"},
            actor="t",
        )
        second = queue.reserve_next(s, sr.step_run_id, actor="t")
        assert second is not None
        queue.release(
            s,
            sr.step_run_id,
            second.id,
            "FAILED",
            {"type": "BUSINESS", "code": "DUPLICATE"},
            actor="t",
        )
    found = c.get(
        "/api/v1/items",
        headers=h,
        params={
            "state": "FAILED",
            "exception_type": "BUSINESS",
            "exception_code": "UNKNOWN_VENDOR",
        },
    )
    assert [i["id"] for i in found.json()["items"]] == [first]
    page = c.get("/api/v1/items", headers=h, params={"run": run_id, "limit": 2}).json()
    assert (len(page["items"]), page["next_offset"]) == (2, 2)
    _error(c.get("/api/v1/items", headers=h, params={"state": "NOPE"}), 400)
    _error(c.get("/api/v1/items", headers=h, params={"limit": 0}), 400)

    edited = c.post(
        f"/api/v1/items/{first}/edit",
        headers=h,
        json={"payload": {"n": 0, "vendor": "ACME Ltd"}, "reason": "fixed"},
    )
    assert (edited.json()["state"], edited.json()["payload"]["vendor"]) == ("PENDING", "ACME Ltd")
    _error(c.post(f"/api/v1/items/{first}/retry", headers=h, json={}), 409, "ITEM_NOT_FAILED")
    _error(c.post(f"/api/v1/items/{second.id}/reject", headers=h, json={}), 400)
    rejected = c.post(f"/api/v1/items/{second.id}/reject", headers=h, json={"reason": "dup"})
    assert rejected.json()["rejected"] is True and rejected.json()["state"] == "FAILED"
    _error(c.post(f"/api/v1/items/{second.id}/retry", headers=h, json={}), 409, "ITEM_REJECTED")
    _error(c.post("/api/v1/items/missing/retry", headers=h, json={}), 404)
    _error(c.get("/api/v1/runs/missing", headers=h), 404)


def test_tokens_need_admin(api: Api) -> None:
    c, h = api.client, api.headers()
    made = c.post("/api/v1/tokens", headers=h, json={"kind": "api", "name": "ci"})
    assert made.status_code == 201
    api_token = made.json()["token"]
    assert c.get("/api/v1/processes", headers=api.headers(api_token)).status_code == 200
    _error(c.post("/api/v1/tokens", headers=api.headers(api_token), json={}), 403)
    _error(c.post("/api/v1/tokens", headers=h, json={"kind": "step-run"}), 400)
    _error(c.post("/api/v1/tokens", headers=h, json={"kind": "root"}), 400)
    with api.world.tx() as s:
        _, worker = tokens.create(s, api.world.workspace_id, TokenKind.WORKER, actor="t")
    _error(c.get("/api/v1/processes", headers=api.headers(worker)), 403)


def test_openapi_lists_both_apis(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert "/api/v1/items/{item_id}/retry" in paths
    assert any(p.endswith("/reserve-next-work-item") for p in paths)


def test_openapi_describes_every_request_body(api: Api) -> None:
    """Routes that read their body by hand still describe it (schemathesis fuzzes from
    this); only the bodiless actions have none."""
    paths = api.client.get("/openapi.json").json()["paths"]
    bodiless = {
        (method, path)
        for path, ops in paths.items()
        for method, op in ops.items()
        if method in ("post", "put", "patch") and "requestBody" not in op
    }
    assert {p.rsplit("/", 1)[-1] for _, p in bodiless} == {
        "reserve-next-work-item",
        "claim",
        "hand-back",
        "stop",
    }
    start = paths["/api/v1/processes/{process}/runs"]["post"]["requestBody"]["content"]
    assert set(start) == {"application/json", "multipart/form-data"}
    items = start["application/json"]["schema"]["properties"]["items"]["items"]
    assert set(items["properties"]) == {"payload", "files"}
    download = paths["/api/v1/items/{item_id}/files/{file_id}"]["get"]["responses"]["200"]
    assert set(download["content"]) == {"application/octet-stream"}


def test_out_of_range_numbers_are_400_not_500(api: Api) -> None:
    c, h = api.client, api.headers()
    api.world.start(InputSpec({"n": 1}))
    huge = str(2**63)
    for path in (
        f"/api/v1/items?offset={huge}",
        f"/api/v1/items?step={huge}",
        f"/api/v1/runs?offset={huge}",
        f"/api/v1/items?offset={2**31}",
    ):
        _error(c.get(path, headers=h), 400, "INVALID_INPUT")
    assert c.get(f"/api/v1/items?offset={2**31 - 1}", headers=h).json()["items"] == []
    made = c.post("/api/v1/tokens", headers=h, json={"kind": "api", "expires_in_seconds": 1e12})
    _error(made, 400, "INVALID_INPUT")
    year = c.post("/api/v1/tokens", headers=h, json={"kind": "api", "expires_in_seconds": 3600})
    assert year.status_code == 201


def test_process_retry_settings_are_bounded(api: Api) -> None:
    c, h = api.client, api.headers()
    step = {"robot_dir": "robot", "task_name": "t"}
    for bad in ({"backoff_seconds": 1e308}, {"backoff_factor": 1e308}, {"max_attempts": 10**6}):
        body = {"name": "p", "steps": [{**step, **bad}]}
        _error(c.post("/api/v1/processes", headers=h, json=body), 400, "INVALID_INPUT")


def test_processes_are_for_admins_and_their_robots_always_checked(api: Api) -> None:
    c, h = api.client, api.headers()
    step = {"robot_dir": str(ROBOT), "task_name": "Consume"}
    made = c.post("/api/v1/tokens", headers=h, json={"kind": "api", "name": "ops"})
    operator = api.headers(made.json()["token"])
    _error(c.post("/api/v1/processes", headers=operator, json={"name": "p", "steps": [step]}), 403)
    nowhere = {"robot_dir": "/nonexistent", "task_name": "x"}
    body = {"name": "p", "steps": [nowhere], "validate_robots": False}
    assert "robot.yaml" in _error(c.post("/api/v1/processes", headers=h, json=body), 400)
    body = {"name": "p", "steps": [step] * 51}
    _error(c.post("/api/v1/processes", headers=h, json=body), 400, "TOO_MANY_STEPS")
    assert c.post("/api/v1/processes", headers=h, json={"name": "p", "steps": [step]}).is_success


@pytest.mark.parametrize(
    "robot_dir",
    ["robots/\x00nul", "/etc/passwd", "x" * 5000, "\ud800"],
    ids=["nul-byte", "a-file", "name-too-long", "lone-surrogate"],
)
def test_an_unreadable_robot_directory_is_a_400(api: Api, robot_dir: str) -> None:
    """Found by the API fuzz: a NUL byte in ``robot_dir`` made pathlib raise ValueError,
    a 500; other unreadable directories are refused the same way."""
    c, h = api.client, api.headers()
    body = {"name": "p", "steps": [{"robot_dir": robot_dir, "task_name": "x"}]}
    response = c.post(
        "/api/v1/processes",
        headers={**h, "Content-Type": "application/json"},
        content=json.dumps(body).encode(),
    )
    _error(response, 400, "INVALID_INPUT")


def test_a_json_start_is_held_to_the_payload_limit(api: Api) -> None:
    c, h = api.client, api.headers()
    items = [{"payload": {"text": "x" * 1000}} for _ in range(MAX_PAYLOAD // 1000 + 1)]
    response = c.post("/api/v1/processes/proc/runs", headers=h, json={"items": items})
    _error(response, 413, "TOO_LARGE")
