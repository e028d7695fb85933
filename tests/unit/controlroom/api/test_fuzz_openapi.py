"""Schemathesis over the Control Room's OpenAPI document, in process (ASGI transport).

Every operation gets generated requests (valid and invalid bodies, parameters and
headers), each sent with the real token of every role (admin, api, worker, step run) and
with none. Each request is sent twice: once as generated and once with its path
parameters pointing at real objects (the workspace, process, run, step run, item and file
of a started run), so the fuzz reaches past the 404s. The properties: no server error
(5xx) ever, and every 4xx is the JSON error body with a stable code.

Budget: ``MAX_EXAMPLES`` generated requests over all operations, positive and negative,
each sent ten times (5 roles x 2 path variants): about 10 s on SQLite here.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import content_type_conformance, response_schema_conformance

from controlroom.services import tokens
from controlroom.services import workers as workers_service
from controlroom.services.runs import InputSpec
from controlroom.states import TokenKind
from tests.unit.controlroom.api.conftest import Api

MAX_EXAMPLES = 100
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture()
def targets(api: Api) -> dict[str, Any]:
    """Real tokens for each role and real ids to put into path parameters."""
    world = api.world
    started = world.step_run(world.start(InputSpec({"n": 1}, (("in.pdf", b"%PDF-1.4 x"),))))
    with world.tx() as s:
        _, api_token = tokens.create(s, world.workspace_id, TokenKind.API, actor="fuzz")
        worker = workers_service.register(s, world.workspace_id, "fuzz", "host", 1, actor="fuzz")
        _, worker_token = tokens.create(
            s, world.workspace_id, TokenKind.WORKER, actor="fuzz", worker_id=worker.id
        )
    item = api.client.get(f"/api/v1/items/{started.first_item_id}", headers=api.headers()).json()
    files = item.get("files") or []
    ids = {
        "ws": started.workspace_id,
        "process": started.process_id,
        "run": started.process_run_id,
        "run_id": started.process_run_id,
        "step_run_id": started.step_run_id,
        "item_id": started.first_item_id,
        "parent_id": started.first_item_id,
        "worker_id": worker.id,
        "file_id": files[0]["id"] if files else "none",
    }
    roles = {
        "none": None,
        "admin": api.admin,
        "api": api_token,
        "worker": worker_token,
        "step-run": started.token,
    }
    return {"roles": roles, "ids": ids}


def _send(case: Any, role: str, token: str | None) -> None:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    case.headers = headers
    response = case.call()
    where = f"{case.method} {case.formatted_path} as {role}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:500]}"
    if 400 <= response.status_code < 500:
        error = response.json().get("error", {})
        assert error.get("code") and error.get("message"), f"{where}: {response.text[:300]}"
    case.validate_response(response, checks=[content_type_conformance, response_schema_conformance])


def test_no_request_gives_a_server_error(api: Api, targets: dict[str, Any]) -> None:
    app = api.client.app  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations), label="operation")
        mode = data.draw(st.sampled_from(MODES), label="mode")
        case = data.draw(operation.as_strategy(mode), label="case")
        generated = dict(case.path_parameters or {})
        for role, token in targets["roles"].items():
            case.path_parameters = generated
            _send(case, role, token)
            case.path_parameters = {k: targets["ids"].get(k, v) for k, v in generated.items()}
            _send(case, role, token)

    fuzz()
