"""The hot reserve and release routes answer exactly as their FastAPI twins do."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from starlette.types import Scope

from controlroom.api import _robocorp as robocorp
from controlroom.api import _robot_routes as robot_routes
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.api.conftest import MAX_PAYLOAD, Api
from tests.unit.controlroom.api.test_robocorp import _h, _p, _started

RUN = "/process-v1/workspaces/w/processes/p/runs/r/robotRuns/s"


def _scope(path: str, method: str = "POST", **more: Any) -> Scope:
    return {"type": "http", "method": method, "path": path, "root_path": "", **more}


def test_match_takes_a_post_to_either_route_as_the_router_would() -> None:
    reserve = robot_routes.match(_scope(RUN + "/reserve-next-work-item"))
    release = robot_routes.match(_scope(RUN + "/release-work-item"))
    assert reserve == (robot_routes.HANDLERS["reserve-next-work-item"], ("w", "p", "r", "s"))
    assert release == (robot_routes.HANDLERS["release-work-item"], ("w", "p", "r", "s"))
    passed_on = [
        _scope(RUN + "/reserve-next-work-item", method="GET"),
        _scope(RUN + "/reserve-next-work-item/"),
        _scope(RUN + "/other"),
        _scope(RUN.replace("/runs/r/", "/runs//") + "/release-work-item"),
        _scope(RUN.replace("process-v1", "process-v2") + "/release-work-item"),
        _scope("/api" + RUN + "/release-work-item"),
        _scope(RUN + "/release-work-item", root_path="/clerk"),
        {"type": "lifespan"},
    ]
    assert [robot_routes.match(scope) for scope in passed_on] == [None] * len(passed_on)


def _answers(api: Api) -> list[tuple[int, str, str | None, str | None]]:
    """A step run's replies to good and bad reserves and releases (ids made stable):
    status, body, content type and the correlation id echoed back."""
    c = api.client
    sr = _started(api, InputSpec({"n": 1}), InputSpec({"n": 2}))
    first = sr.first_item_id or ""
    url = _p(sr)
    json_headers = {**_h(sr), "Content-Type": "application/json"}
    too_big = b'{"workItemId": "' + b"x" * MAX_PAYLOAD + b'"}'
    requests: list[tuple[str, dict[str, Any]]] = [
        ("release", {"headers": json_headers, "content": b'{"workItemId": '}),
        ("release", {"headers": _h(sr), "json": {"state": "COMPLETED"}}),
        ("release", {"headers": _h(sr), "json": {"workItemId": "", "state": 1}}),
        ("release", {"headers": _h(sr), "content": b""}),
        ("release", {"headers": _h(sr), "json": [1]}),
        ("release", {"headers": json_headers, "content": b"null"}),
        ("release", {"headers": _h(sr), "content": b'{"workItemId": "x"}'}),
        ("release", {"headers": json_headers, "content": b"[" * 5000}),
        ("release", {"headers": json_headers, "content": b'"\xff"'}),
        (
            "release",
            {
                "headers": {**_h(sr), "Content-Type": "application/vnd.x+json; charset=utf-8"},
                "content": b'{"workItemId": "", "state": "COMPLETED"}',
            },
        ),
        ("release", {"headers": {}, "json": {}}),
        ("release", {"headers": json_headers, "content": too_big}),
        ("reserve", {"headers": {"Authorization": "Bearer nope"}}),
        ("release", {"headers": _h(sr), "json": {"workItemId": first, "state": "COMPLETED"}}),
        ("reserve", {"headers": _h(sr)}),
        ("reserve", {"headers": _h(sr), "json": {"ignored": True}}),
        ("release", {"headers": _h(sr), "json": {"workItemId": first, "state": "COMPLETED"}}),
    ]
    stable = {first: "FIRST", sr.step_run_id: "SR"}
    out = []
    for n, (route, kwargs) in enumerate(requests):
        cid = f"test-{n}"
        kwargs["headers"] = {**kwargs["headers"], "X-Correlation-ID": cid}
        path = f"{url}/{'reserve-next-work-item' if route == 'reserve' else 'release-work-item'}"
        reply = c.post(path, **kwargs)
        text = reply.text
        for value, name in stable.items():
            text = text.replace(value, name)
        body = reply.json()
        if isinstance(body, dict) and body.get("workItemId") not in (None, "FIRST"):
            text = text.replace(body["workItemId"], "OTHER")
        echoed = reply.headers.get("x-correlation-id")
        out.append((reply.status_code, text, reply.headers.get("content-type"), echoed))
        assert echoed == cid
    return out


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many requests each hot handler answers from now on."""
    calls: Counter[str] = Counter()
    for action, handler in dict(robot_routes.HANDLERS).items():

        async def counted(*args: Any, _action: str = action, _handler: Any = handler) -> Any:
            calls[_action] += 1
            return await _handler(*args)

        monkeypatch.setitem(robot_routes.HANDLERS, action, counted)
    return calls


def test_the_same_answers_as_the_fastapi_routes(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    hot = _answers(api)
    # Every request but the one over the limit, which RequestGuard answers itself.
    assert calls == {"reserve-next-work-item": 3, "release-work-item": 13}
    monkeypatch.setattr(robot_routes, "match", lambda scope: None)  # the FastAPI twins answer
    twins = _answers(api)
    assert calls == {"reserve-next-work-item": 3, "release-work-item": 13}  # no more
    assert twins == hot
    assert [status for status, *_ in hot] == [*[400] * 11, 413, 401, 200, 200, 200, 409]
    assert {content_type for _, _, content_type, _ in hot} == {"application/json"}


def test_an_unexpected_error_is_a_500_with_the_shared_shape(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    sr = _started(api)

    async def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(robocorp, "reserve_next_for", broken)
    url = f"{_p(sr)}/reserve-next-work-item"
    headers = {**_h(sr), "X-Correlation-ID": "cid-500"}
    hot = api.client.post(url, headers=headers)
    monkeypatch.setattr(robot_routes, "match", lambda scope: None)
    twin = httpx.post(str(api.client.base_url) + url, headers=headers)
    for reply in (hot, twin):
        assert reply.status_code == 500
        assert reply.json() == {
            "error": {"code": "INTERNAL", "message": "internal error; the server log has details"}
        }
        assert reply.headers["x-correlation-id"] == "cid-500"
