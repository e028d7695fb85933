"""The robot API's vendor memory, over a real server on SQLite and PostgreSQL: tokens of
the workspace read it, others are refused, and a robot's ``RobotMemory`` reads it."""

from __future__ import annotations

import json

import httpx
import pytest

from clerk.documents import Field, Understanding
from clerk.paths import PROJECT_ROOT
from controlroom.db import transaction
from controlroom.services import tokens, vendor_memory
from controlroom.states import TokenKind
from extractors import read_all
from robots._vendor_memory import RobotMemory
from tests.integration.controlroom.conftest import Server

SAMPLE = PROJECT_ROOT / "samples" / "inbox" / "invoice_en.pdf"
TRUTH = PROJECT_ROOT / "samples" / "expected" / "invoice_en.pdf.json"


def _taught(server: Server, name: str) -> tuple[str, str]:
    """A workspace whose memory knows the sample invoice's vendor, and an admin token."""
    ws, admin = server.workspace(name)
    document = read_all(SAMPLE.read_bytes(), SAMPLE.name).documents[0]
    fields = json.loads(TRUTH.read_text())["fields"]
    flat = tuple(Field(k, v, v, 1.0) for k, v in fields.items() if "." not in k)
    confirmed = Understanding(document.sha256, document.name, "invoice", 1.0, (), flat, (),
                              "review", ())  # fmt: skip
    with transaction(server.sessions) as s:
        vendor_memory.teach(s, ws, document, confirmed, actor="user:rita", role="reviewer")
    return ws, admin


def _url(server: Server, ws: str) -> str:
    return f"{server.base_url}/memory-v1/workspaces/{ws}/vendor-memory"


@pytest.mark.parametrize("kind", [TokenKind.WORKER, TokenKind.API])
def test_tokens_of_the_workspace_read_the_memory(server: Server, kind: TokenKind) -> None:
    ws, _ = _taught(server, f"memory-{kind.value}")
    with transaction(server.sessions) as s:
        _, secret = tokens.create(s, ws, kind, name="reader", actor="test")
    reply = httpx.get(
        _url(server, ws),
        params={"doc_type": "invoice"},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    (entry,) = reply.json()["entries"]
    assert entry["vendor_name"] == "Wilson Software Ltd." and entry["version"] == 1
    none = httpx.get(
        _url(server, ws),
        params={"doc_type": "receipt"},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert none.json() == {"entries": []}
    bad = httpx.get(
        _url(server, ws),
        params={"doc_type": "letter", "vendor": "x\x00"},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=10,
    )
    assert bad.status_code == 400 and "unknown doc_type 'letter'" in bad.text


def test_no_token_or_another_workspace_is_refused(server: Server) -> None:
    ws, _ = _taught(server, "memory-guarded")
    _, other = server.workspace("memory-other")
    url = _url(server, ws)
    assert httpx.get(url, params={"doc_type": "invoice"}, timeout=10).status_code == 401
    bad = httpx.get(url, params={"doc_type": "invoice"},
                    headers={"Authorization": "Bearer clerk_not-a-token"}, timeout=10)  # fmt: skip
    assert bad.status_code == 401
    foreign = httpx.get(
        url,
        params={"doc_type": "invoice"},
        headers={"Authorization": f"Bearer {other}"},
        timeout=10,
    )
    assert foreign.status_code == 403
    assert "not valid for workspace" in foreign.text
    assert "Wilson Software" not in foreign.text


def test_a_robot_reads_the_memory_of_its_control_room(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, admin = _taught(server, "memory-robot")
    monkeypatch.setenv("RC_API_WORKITEM_HOST", server.base_url)
    monkeypatch.setenv("RC_WORKSPACE_ID", ws)
    monkeypatch.setenv("RC_API_WORKITEM_TOKEN", admin)
    memory = RobotMemory.from_environment()
    assert memory is not None
    (entry,) = memory.entries("invoice")
    assert entry.vendor_key == "vendor_vat_id:GB276233299"
    assert {f.name for f in entry.fields} >= {"invoice_number", "total_amount"}
    monkeypatch.setenv("RC_API_WORKITEM_TOKEN", "clerk_revoked")
    assert RobotMemory.from_environment().entries("invoice") == ()  # type: ignore[union-attr]
    monkeypatch.delenv("RC_API_WORKITEM_HOST")
    assert RobotMemory.from_environment() is None
