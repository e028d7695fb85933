"""Shared test support for the console: a migrated database per test (copied from one
template), documents with known field boxes, and a robot that works items through the
real robocorp API with its step-run token."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clerk.documents import Box, Check, Field, LineItem, Reason, Understanding
from clerk.payloads import DocumentRef, ItemPayload
from controlroom.db import transaction
from controlroom.services import processes, runs, steps
from controlroom.services._step_end import end_step_run
from controlroom.services.processes import StepSpec
from controlroom.states import StepRunState

with warnings.catch_warnings():
    # starlette warns at import that it would prefer httpx2; the client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]  # re-exported: imported here once, without the warning

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
# Where make_pdf writes each field on every page (PDF points, origin top-left).
FIELD_LINES = (
    ("invoice_number", "INV-1001"),
    ("vendor_name", "ACME <script>alert(1)</script> GmbH"),
    ("total_amount", "118.00"),
)


def make_pdf(pages: int = 1, scanned: bool = False) -> tuple[bytes, list[Field]]:
    """A PDF whose fields sit at known boxes; ``scanned``: every page is only an image."""
    from fpdf import FPDF

    fields: list[Field] = []
    pdf = FPDF(unit="pt", format="A4")
    # A fixed creation date: the same arguments give the same bytes (and sha256).
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    for number in range(1, pages + 1):
        pdf.add_page()
        if scanned:
            pdf.image(io.BytesIO(_scan_image(number)), x=0, y=0, w=595.28, h=841.89)
        else:
            pdf.set_font("helvetica", size=12)
        for index, (name, value) in enumerate(FIELD_LINES):
            y = 100 + 40 * index + 200 * (number - 1)
            if not scanned:
                pdf.text(72, y, f"{value}")
            if number == 1 or name == "total_amount":
                fields.append(
                    Field(
                        name if number == 1 else f"{name}_p{number}",
                        raw=value,
                        value=value,
                        confidence=0.55 if name == "total_amount" else 0.97,
                        page=number,
                        box=Box(70, y - 12, 72 + 7 * len(value), y + 3),
                    )
                )
    return bytes(pdf.output()), fields


def _scan_image(number: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi, like a scanner
    draw = ImageDraw.Draw(image)
    for index, (_, value) in enumerate(FIELD_LINES):
        y = (100 + 40 * index + 200 * (number - 1)) * 150 / 72
        draw.text((150, y - 25), value, fill=0)
    for row in range(40):  # some texture, as a scan has
        draw.line((100, 900 + row * 18, 1100, 900 + row * 18), fill=200)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def understanding_for(data: bytes, name: str, fields: list[Field], pages: int = 1) -> Understanding:
    sha = hashlib.sha256(data).hexdigest()
    return Understanding(
        document_sha256=sha,
        document_name=name,
        doc_type="invoice",
        type_confidence=0.91,
        top3=(("invoice", 0.91), ("receipt", 0.05), ("other", 0.04)),
        fields=tuple(fields),
        checks=(
            Check("total_amount_present", True, "total present"),
            Check(
                "net_plus_tax_equals_total", False, "net 100.00 + tax 19.00 != total_amount 118.00"
            ),
        ),
        decision="review",
        reasons=(
            Reason("check", "net_plus_tax_equals_total", "check net_plus_tax_equals_total failed"),
        ),
        pages=pages,
    )


def with_line_items(
    count: int, *, shaky_every: int = 3
) -> Callable[[Understanding], Understanding]:
    """An ``adjust`` for ``fail_for_review``: ``count`` line items as a scan gives them,
    in a table from y=420 down, every ``shaky_every``-th row with its quantity and amount
    read below the bar, line 2's arithmetic off, and the policy's one reason naming the
    shaky rows (as ``clerk.policy.decide`` gives it)."""

    def adjust(understanding: Understanding) -> Understanding:
        rows = []
        shaky = []
        for i in range(count):
            y = 420 + 14 * (i % 28)
            page = 1 + i // 28
            low = i % shaky_every == 0
            if low:
                shaky.append(i)
            quantity, price = i % 5 + 1, Decimal(7 + i) + Decimal("0.5")
            amount = quantity * price + (1 if i == 1 else 0)
            cells = [
                ("description", f"Item {i + 1} <b>widget</b>", 0.9, 72, 260),
                ("quantity", str(quantity), 0.62 if low else 0.97, 300, 330),
                ("unit_price", f"{price:.2f}", 0.97, 360, 420),
                ("amount", f"{amount:.2f}", 0.7 if low else 0.97, 460, 520),
            ]
            rows.append(
                LineItem(
                    tuple(
                        Field(name, v, v, conf, page, Box(x0, y - 11, x1, y + 2))
                        for name, v, conf, x0, x1 in cells
                    )
                )
            )
        reasons = (
            *understanding.reasons,
            Reason(
                "rows", "line_items", f"{len(shaky)} of {count} line items are shaky", tuple(shaky)
            ),
        )
        checks = (
            *understanding.checks,
            Check(
                "line_item_amounts", False, "line 2: 2 x 8.50 = 17.00, but amount is 18.00", (1,)
            ),
        )
        return replace(understanding, line_items=tuple(rows), reasons=reasons, checks=checks)

    return adjust


def item_payload(data: bytes, name: str, understanding: Understanding | None) -> dict[str, Any]:
    ref = DocumentRef(
        sha256=hashlib.sha256(data).hexdigest(),
        name=name,
        mime="application/pdf",
        source="upload:test",
        file=name,
    )
    payload = ItemPayload(document=ref)
    return (payload.with_understanding(understanding) if understanding else payload).dump()


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


@dataclass
class Robot:
    """One step run, worked through the robocorp API with its own token."""

    client: Any
    workspace_id: str
    process_id: str
    run_id: str
    step_run_id: str
    token: str
    first_item_id: str | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def save_payload(self, item_id: str, payload: dict[str, Any]) -> None:
        url = f"/json-v1/workspaces/{self.workspace_id}/workitems/{item_id}/data"
        response = self.client.put(url, json=payload, headers=self.headers)
        assert response.status_code == 200, response.text

    def release(self, item_id: str, state: str, exception: dict[str, str] | None = None) -> None:
        url = (
            f"/process-v1/workspaces/{self.workspace_id}/processes/{self.process_id}"
            f"/runs/{self.run_id}/robotRuns/{self.step_run_id}/release-work-item"
        )
        body = {"workItemId": item_id, "state": state, "exception": exception}
        response = self.client.post(url, json=body, headers=self.headers)
        assert response.status_code == 200, response.text

    def reserve(self) -> str | None:
        url = (
            f"/process-v1/workspaces/{self.workspace_id}/processes/{self.process_id}"
            f"/runs/{self.run_id}/robotRuns/{self.step_run_id}/reserve-next-work-item"
        )
        response = self.client.post(url, headers=self.headers)
        assert response.status_code == 200, response.text
        item_id: str | None = response.json()["workItemId"]
        return item_id


def start_robot(
    factory: sessionmaker[Session], client: Any, run_id: str, position: int = 1
) -> Robot:
    with transaction(factory) as session:
        step_run = steps.open_step_run(session, run_id, position, actor="test:robot")
        started = steps.start_step_run(session, step_run.id, actor="test:robot")
    return Robot(
        client,
        started.workspace_id,
        started.process_id,
        started.process_run_id,
        started.step_run_id,
        started.token,
        started.first_item_id,
    )


def finish_robot(factory: sessionmaker[Session], robot: Robot) -> None:
    from controlroom.models import StepRun

    with transaction(factory) as session:
        end_step_run(
            session,
            session.get_one(StepRun, robot.step_run_id),
            StepRunState.COMPLETED,
            exit_code=0,
            message="done",
            actor="test:robot",
        )


def make_process(
    factory: sessionmaker[Session], workspace_name: str, name: str = "invoices"
) -> str:
    with transaction(factory) as session:
        ws = processes.ensure_workspace(session, workspace_name)
        process = processes.create_process(
            session,
            ws.id,
            name,
            [
                StepSpec("robots/understand", "Understand", "Understand"),
                StepSpec("robots/erp", "Enter", "Enter in ERP"),
            ],
            actor="test",
            validate_robots=False,
        )
        return process.id


def fail_for_review(
    factory: sessionmaker[Session],
    client: Any,
    process_id: str,
    workspace_id: str,
    *,
    pages: int = 1,
    name: str = "invoice.pdf",
    scanned: bool = False,
    exception: dict[str, str] | None = None,
    blobs: Any = None,
    adjust: Callable[[Understanding], Understanding] | None = None,
    made: tuple[bytes, Understanding] | None = None,
) -> tuple[str, str]:
    """Start a run with one document and fail its item as the understand robot would:
    payload with the understanding saved, released FAILED/BUSINESS. Returns (run, item).
    ``adjust`` changes the understanding the robot saves (other fields, reasons);
    ``made`` is a document and its understanding made elsewhere, instead of make_pdf's."""
    if made is not None:
        data, understanding = made
    else:
        data, fields = make_pdf(pages, scanned)
        understanding = understanding_for(data, name, fields, pages)
    if adjust is not None:
        understanding = adjust(understanding)
    blobs_root = blobs if blobs is not None else client.app.state.blobs
    with transaction(factory) as session:
        run = runs.start_run(
            session,
            blobs_root,
            workspace_id,
            process_id,
            [runs.InputSpec(item_payload(data, name, None), ((name, data),))],
            actor="user:test",
            max_payload_bytes=10**7,
            max_file_bytes=10**8,
        )
        run_id = run.id
    robot = start_robot(factory, client, run_id)
    assert robot.first_item_id
    robot.save_payload(robot.first_item_id, item_payload(data, name, understanding))
    robot.release(
        robot.first_item_id,
        "FAILED",
        exception or {"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": "a check failed"},
    )
    finish_robot(factory, robot)
    return run_id, robot.first_item_id


def copy_database(template: Path, target: Path) -> str:
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def bulk_failed_items(
    factory: sessionmaker[Session], workspace_id: str, process_id: str, count: int
) -> list[str]:
    """Insert ``count`` FAILED items in one run in one statement (mixed types and codes,
    failure times one minute apart): a big exception queue without a robot."""
    import uuid
    from datetime import timedelta

    from sqlalchemy import insert, select

    from controlroom._db_types import utcnow
    from controlroom.models import ProcessRun, ProcessStep, WorkItem

    with transaction(factory) as session:
        step = session.scalars(
            select(ProcessStep).where(ProcessStep.process_id == process_id)
        ).first()
        assert step is not None
        run = ProcessRun(
            workspace_id=workspace_id,
            process_id=process_id,
            state="FAILED",
            started_by="bench",
            correlation_id="b",
        )
        session.add(run)
        session.flush()
        now = utcnow()
        ids = [str(uuid.uuid4()) for _ in range(count)]
        rows = [
            {
                "id": item_id,
                "workspace_id": workspace_id,
                "process_run_id": run.id,
                "step_id": step.id,
                "state": "FAILED",
                "payload": {"schema": "clerk.item/1", "document": {"name": f"doc-{n:05d}.pdf"}},
                "exception_type": "APPLICATION" if n % 4 == 0 else "BUSINESS",
                "exception_code": ("ERP_TIMEOUT", "NEEDS_REVIEW", "UNKNOWN_VENDOR", "DUPLICATE")[
                    n % 4
                ],
                "exception_message": f"failure {n}",
                "attempts": 1 + n % 3,
                "available_at": now,
                "correlation_id": item_id,
                "created_at": now - timedelta(minutes=count - n),
                "updated_at": now - timedelta(minutes=count - n),
            }
            for n, item_id in enumerate(ids)
        ]
        session.execute(insert(WorkItem), rows)
    return ids
