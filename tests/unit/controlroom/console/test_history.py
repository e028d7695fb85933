"""An item's history as people read it: names for robots and tokens, details as text."""

from __future__ import annotations

import re

from controlroom import _audit as audit
from controlroom.console import _history as history
from controlroom.db import transaction
from controlroom.services import tokens, workers
from controlroom.states import TokenKind
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import fail_for_review


def _history_html(page: str) -> str:
    return page[page.index("<h2>History") :]


def test_history_names_robots_and_tokens_and_shows_no_json_or_ids(console: Console) -> None:
    client = console.logged_in("rita", "reviewer")
    message = "vendor's name 'ACME' is unknown"
    _, item_id = fail_for_review(
        console.factory,
        client,
        console.process_id,
        console.workspace_id,
        exception={"type": "BUSINESS", "code": "UNKNOWN_VENDOR", "message": message},
    )
    with transaction(console.factory) as session:
        worker = workers.register(session, console.workspace_id, "robot-01", "vm-1", 1, actor="t")
        _, worker_secret = tokens.create(
            session, console.workspace_id, TokenKind.WORKER, actor="t", worker_id=worker.id
        )
        _, api_secret = tokens.create(
            session, console.workspace_id, TokenKind.API, name="nightly-import", actor="t"
        )
        worker_actor = tokens.authenticate(session, worker_secret).actor
        assert re.fullmatch(r"token:worker:[0-9a-f-]{36}", worker_actor)  # an unnamed token
        for secret in (worker_secret, api_secret):
            actor = tokens.authenticate(session, secret).actor
            audit.append(session, actor, "item.retry", "work_item", item_id, after={})
    text = re.sub(r"<[^>]+>", " ", _history_html(client.get(f"/console/items/{item_id}").text))
    assert "\\u0027" not in text and "{" not in text
    assert "exception: BUSINESS UNKNOWN_VENDOR: vendor&#39;s name &#39;ACME&#39; is unknown" in text
    assert "Understand robot" in text and "released by its robot as FAILED" in text
    assert "worker token robot-01" in text and "API token nightly-import" in text
    # No full id is shown as text (only in a title for whoever needs it).
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text), text


def test_details_are_plain_text() -> None:
    assert history.text_of("corrections", {"total_amount": "119.00"}) == "total_amount → 119.00"
    assert history.text_of("file_id", "00978078-1111-2222-3333-444455556666") == "00978078"
    assert history.text_of("tags", ["a", "b"]) == "a, b"
    assert history.text_of("moved", {"from": "x", "to": None}) == "from: x"
