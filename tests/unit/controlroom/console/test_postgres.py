"""The console's own queries and writes on PostgreSQL: review, locks, queue, dashboard."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from controlroom._console_models import LoginAttempt
from controlroom.console import _dashboard as dashboard
from controlroom.db import transaction
from controlroom.models import WorkItem
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import bulk_failed_items, csrf_of, fail_for_review
from tests.unit.controlroom.console.test_review import approve_with_lines_removed_and_added

pytestmark = pytest.mark.postgres


def test_review_flow_queue_and_dashboard_on_postgres(pg_console: Console) -> None:
    console = pg_console
    _, item_id = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    bulk_failed_items(console.factory, console.workspace_id, console.process_id, 120)
    alice = console.logged_in("alice", "reviewer")
    bob = console.logged_in("bob", "reviewer")
    queue = alice.get("/console/review?sort=code&page=2&size=25")
    assert "121 failed items waiting" in queue.text and "Page 2 of 5" in queue.text
    page = alice.get(f"/console/items/{item_id}")
    assert "Locked by <strong>alice</strong>" in bob.get(f"/console/items/{item_id}").text
    alice.post(
        f"/console/items/{item_id}/approve",
        data={"csrf_token": csrf_of(page.text), "field:invoice_number": "INV-PG"},
    )
    with transaction(console.factory) as session:
        child = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)).one()
        assert child.payload["understanding"]["corrections"][0]["value"] == "INV-PG"
        d = dashboard.build(session, console.workspace_id)
    assert d.overrides[0][0] == "invoice_number" and d.open_failures == 120
    assert alice.get("/console/").status_code == 200


def test_approve_with_lines_removed_and_added_on_postgres(pg_console: Console) -> None:
    approve_with_lines_removed_and_added(pg_console)


def test_login_backoff_and_address_limits_on_postgres(pg_console: Console) -> None:
    from tests.unit.controlroom.console import test_login_limits as limits

    limits.test_account_backoff_doubles_and_a_success_resets_it(pg_console)
    with transaction(pg_console.factory) as s:
        s.execute(delete(LoginAttempt))
    limits.test_failures_across_accounts_limit_the_address(pg_console)


def test_read_again_as_another_type_on_postgres(pg_console: Console) -> None:
    from tests.unit.controlroom.console import test_review_retype as retype

    retype.test_the_reviewer_reads_the_item_again_as_the_type_they_choose(pg_console)
