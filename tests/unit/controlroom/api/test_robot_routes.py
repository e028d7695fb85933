"""The lean reserve and release routes answer exactly as their FastAPI twins do."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from controlroom.api import _robot_routes as robot_routes
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.api.conftest import Api
from tests.unit.controlroom.api.test_robocorp import _h, _p, _started


def _app(api: Api) -> Any:
    return api.client.app  # type: ignore[attr-defined]


def test_the_lean_routes_come_first(api: Api) -> None:
    endpoints = [getattr(r, "endpoint", None) for r in _app(api).router.routes[:2]]
    assert endpoints == [robot_routes.reserve_next, robot_routes.release]


def _answers(api: Api) -> list[tuple[int, Any]]:
    """A step run's replies to good and bad reserves and releases (ids made stable)."""
    c = api.client
    sr = _started(api, InputSpec({"n": 1}), InputSpec({"n": 2}))
    first = sr.first_item_id or ""
    url = _p(sr)
    json_headers = {**_h(sr), "Content-Type": "application/json"}
    replies: list[httpx.Response] = [
        c.post(f"{url}/release-work-item", headers=json_headers, content=b'{"workItemId": '),
        c.post(f"{url}/release-work-item", headers=_h(sr), json={"state": "COMPLETED"}),
        c.post(f"{url}/release-work-item", headers=_h(sr), json={"workItemId": "", "state": 1}),
        c.post(f"{url}/release-work-item", headers=_h(sr), content=b""),
        c.post(f"{url}/release-work-item", headers=_h(sr), json=[1]),
        c.post(f"{url}/release-work-item", headers=json_headers, content=b"null"),
        c.post(f"{url}/release-work-item", headers=_h(sr), content=b'{"workItemId": "x"}'),
        c.post(f"{url}/release-work-item", headers=json_headers, content=b"[" * 5000),
        c.post(f"{url}/release-work-item", headers=json_headers, content=b'"\xff"'),
        c.post(
            f"{url}/release-work-item",
            headers={**_h(sr), "Content-Type": "application/vnd.x+json; charset=utf-8"},
            content=b'{"workItemId": "", "state": "COMPLETED"}',
        ),
        c.post(f"{url}/release-work-item", headers={}, json={}),
        c.post(f"{url}/reserve-next-work-item", headers={"Authorization": "Bearer nope"}),
        c.post(
            f"{url}/release-work-item",
            headers=_h(sr),
            json={"workItemId": first, "state": "COMPLETED"},
        ),
        c.post(f"{url}/reserve-next-work-item", headers=_h(sr)),
        c.post(f"{url}/reserve-next-work-item", headers=_h(sr), json={"ignored": True}),
        c.post(
            f"{url}/release-work-item",
            headers=_h(sr),
            json={"workItemId": first, "state": "COMPLETED"},
        ),
    ]
    stable = {first: "FIRST", sr.step_run_id: "SR"}
    out = []
    for reply in replies:
        text = reply.text
        for value, name in stable.items():
            text = text.replace(value, name)
        body = reply.json()
        if isinstance(body, dict) and body.get("workItemId") not in (None, "FIRST"):
            text = text.replace(body["workItemId"], "OTHER")
        out.append((reply.status_code, text))
    return out


def test_the_same_answers_as_the_fastapi_routes(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    lean = _answers(api)
    router = _app(api).router
    monkeypatch.setattr(router, "routes", router.routes[2:])  # the FastAPI twins answer
    assert [getattr(r, "endpoint", None) for r in router.routes[:2]] != [
        robot_routes.reserve_next,
        robot_routes.release,
    ]
    twins = _answers(api)
    assert twins == lean
    assert [status for status, _ in lean] == [*[400] * 11, 401, 200, 200, 200, 409]
