"""The exception queue at scale: filters, counts, sorting and pages over 10,000 items."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from controlroom.console import _queries as queries
from controlroom.db import transaction
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import bulk_failed_items

N = 10_000


SMALL = 400


@pytest.fixture
def big_queue(console: Console) -> list[str]:
    return bulk_failed_items(console.factory, console.workspace_id, console.process_id, N)


@pytest.fixture
def small_queue(console: Console) -> list[str]:
    return bulk_failed_items(console.factory, console.workspace_id, console.process_id, SMALL)


def _rows(html: str) -> list[str]:
    return re.findall(r'href="/console/items/([0-9a-f-]{36})"', html)


def test_pages_through_ten_thousand_failures(console: Console, big_queue: list[str]) -> None:
    client = console.logged_in("rita", "reviewer")
    client.get("/console/review")  # warm-up: templates compile, the workspace is cached
    statements: list[str] = []
    engine = console.app.state.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        first = client.get("/console/review")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert first.status_code == 200
    assert "10000 failed items waiting" in first.text
    assert "Page 1 of 200" in first.text
    assert _rows(first.text) == big_queue[::-1][:50]  # newest failure first
    # A page costs a few statements, not one per row (its speed: bench/bench_console.py).
    assert len(statements) <= 10, statements
    last = client.get("/console/review?page=200")
    assert _rows(last.text) == big_queue[::-1][-50:]
    oldest = client.get("/console/review?sort=oldest&size=100&page=2")
    assert _rows(oldest.text) == big_queue[100:200]


def test_filters_and_counts(console: Console, small_queue: list[str]) -> None:
    with transaction(console.factory) as session:
        page = queries.exception_queue(
            session, console.workspace_id, queries.QueueFilter(exception_type="APPLICATION")
        )
        assert page.total == SMALL // 4
        assert page.by_type == {"APPLICATION": SMALL // 4, "BUSINESS": 3 * SMALL // 4}
        assert dict(page.by_code) == {"ERP_TIMEOUT": SMALL // 4}
        assert all(r.exception_type == "APPLICATION" for r in page.rows)
        coded = queries.exception_queue(
            session, console.workspace_id, queries.QueueFilter(exception_code="DUPLICATE")
        )
        assert coded.total == SMALL // 4 and {r.exception_code for r in coded.rows} == {"DUPLICATE"}
        old = queries.exception_queue(
            session, console.workspace_id, queries.QueueFilter(older_than="1h")
        )
        # Item n failed SMALL - n minutes ago; the boundary minute may fall either way.
        assert SMALL - 60 <= old.total <= SMALL - 60 + 1
        other = queries.exception_queue(
            session, console.workspace_id, queries.QueueFilter(process_id="no-such-process")
        )
        assert other.total == 0 and other.rows == []


def test_nonsense_parameters_fall_back_to_defaults(
    console: Console, small_queue: list[str]
) -> None:
    client = console.logged_in("rita", "reviewer")
    response = client.get("/console/review?sort=evil&size=100000&page=-3&type=<b>")
    assert response.status_code == 200
    assert len(_rows(response.text)) == 50


def test_process_and_step_filters(console: Console) -> None:
    from tests.unit.controlroom.console.support import make_process

    other = make_process(console.factory, "default", name="orders")
    bulk_failed_items(console.factory, console.workspace_id, console.process_id, 30)
    bulk_failed_items(console.factory, console.workspace_id, other, 12)
    client = console.logged_in("rita", "reviewer")
    assert "42 failed items waiting" in client.get("/console/review").text
    assert "12 failed items waiting" in client.get(f"/console/review?process={other}").text
    with transaction(console.factory) as session:
        steps = queries.process_steps(session, console.workspace_id)
    first_of_other = next(s.id for p, s in steps if p.id == other and s.position == 1)
    html = client.get(f"/console/review?step={first_of_other}").text
    assert "12 failed items waiting" in html and f'<option value="{other}"' in html


@pytest.mark.parametrize("path", ["/console/runs", "/console/review"])
def test_a_page_number_past_the_integers_is_a_400(console: Console, path: str) -> None:
    client = console.logged_in("ann", "viewer")
    response = client.get(f"{path}?page=99999999999999999999")
    assert response.status_code == 400, response.text
    assert "does not exist" in response.text
    assert client.get(f"{path}?page={2**31 - 1}").status_code == 200
