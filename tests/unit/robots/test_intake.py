"""Intake: the ledger and the inbox scan on their own, then the robot itself through the
stock client against a real Control Room."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk.payloads import ItemPayload
from controlroom.services.runs import InputSpec
from extractors.reading.sniff import mime_of
from robots._intake_ledger import IntakeLedger
from robots.intake import scan_inbox
from tests.unit.robots.robot_steps import Room, payload_of, room_fixture

SAMPLES = Path(__file__).parents[3] / "samples" / "inbox"

room = pytest.fixture(scope="module")(room_fixture)


def test_ledger_tells_new_forwarded_and_duplicate(tmp_path: Path) -> None:
    ledger = IntakeLedger(tmp_path / "ledger.sqlite3")
    assert ledger.claim("s1", "a.pdf", "api", "inbox:/in/a.pdf", "item-1").state == "new"
    # The same item retried before it forwarded anything: take it in again.
    assert ledger.claim("s1", "a.pdf", "api", "inbox:/in/a.pdf", "item-1").state == "new"
    ledger.forwarded("s1", "out-1")
    again = ledger.claim("s1", "a.pdf", "api", "inbox:/in/a.pdf", "item-1")
    assert again.state == "forwarded"
    # Another file with the same bytes, in the same item or a later one: a duplicate.
    copy = ledger.claim("s1", "b.pdf", "api", "inbox:/in/b.pdf", "item-1")
    later = IntakeLedger(tmp_path / "ledger.sqlite3").claim("s1", "a.pdf", "x", "o", "item-9")
    assert copy.state == later.state == "duplicate"
    assert later.first is not None and "a.pdf" in later.first.describe()
    assert "item-1" in later.first.describe()


def test_scan_skips_unsettled_and_temporary_files_and_resumes_own_leftovers(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "processing" / "item-1").mkdir(parents=True)
    (inbox / "processing" / "item-1" / "left.pdf").write_bytes(b"%PDF-left")
    (inbox / "processing" / "item-2").mkdir()
    (inbox / "processing" / "item-2" / "other.pdf").write_bytes(b"%PDF-other")
    (inbox / "old.pdf").write_bytes(b"%PDF-old")
    os.utime(inbox / "old.pdf", (time.time() - 60, time.time() - 60))
    (inbox / "fresh.pdf").write_bytes(b"%PDF-fresh")
    (inbox / "upload.pdf.part").write_bytes(b"%PDF")
    (inbox / ".hidden").write_bytes(b"x")

    found = list(scan_inbox(inbox, "item-1", settle_seconds=30))

    assert [f.name for f in found] == ["left.pdf", "old.pdf"]
    assert all(f.path.parent == inbox / "processing" / "item-1" for f in found)
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == [
        ".hidden", "fresh.pdf", "upload.pdf.part"
    ]  # fmt: skip
    assert (inbox / "processing" / "item-2" / "other.pdf").exists()  # not this item's


def test_mime_from_content_and_name() -> None:
    assert mime_of(b"%PDF-1.7", "scan.bin") == "application/pdf"
    assert mime_of(b"\x89PNG\r\n\x1a\n....", "invoice.pdf") == "image/png"  # content wins
    assert mime_of(b"From: x", "mail.eml") == "message/rfc822"
    assert mime_of(b"PK", "sheet.xlsx") == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.fixture()
def inbox(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    yield folder


@pytest.mark.slow
def test_intake_robot_takes_in_the_inbox_once_and_flags_resent_bytes(
    room: Room, inbox: Path, tmp_path: Path
) -> None:
    names = ["invoice_en.pdf", "mail_invoice_attached.eml", "empty.pdf"]
    for name in names:
        (inbox / name).write_bytes((SAMPLES / name).read_bytes())
    (inbox / "resent_invoice_en.pdf").write_bytes((SAMPLES / "invoice_en.pdf").read_bytes())
    env = {"CLERK_INTAKE_LEDGER": str(tmp_path / "ledger.sqlite3")}
    process = room.process("Intake")

    first = room.start(process, [InputSpec({"inbox": str(inbox)})])
    room.run_step(first, "Intake", env)

    outputs = {payload_of(o)["document"]["name"]: o for o in room.outputs(first)}
    assert sorted(outputs) == sorted([*names, "resent_invoice_en.pdf"])
    for name in names:
        payload = ItemPayload.parse(payload_of(outputs[name]))
        data = (SAMPLES / name).read_bytes()
        assert payload.document.sha256 == hashlib.sha256(data).hexdigest()
        assert payload.duplicate_of is None
        assert room.files(outputs[name].id) == {payload.document.file: data}
    mail = ItemPayload.parse(payload_of(outputs["mail_invoice_attached.eml"])).document
    assert mail.source.startswith("email:") and mail.mime == "message/rfc822"
    copy = ItemPayload.parse(payload_of(outputs["resent_invoice_en.pdf"]))
    assert copy.duplicate_of is not None and "invoice_en.pdf" in copy.duplicate_of
    assert [i.state for i in room.inputs(first)] == ["COMPLETED"]
    assert not [p for p in inbox.iterdir() if p.is_file()], "taken-in files leave the inbox"
    assert len(list((inbox / "processed").rglob("*.pdf"))) == 3

    # The same invoice sent again in a later run, as an upload: flagged, not dropped.
    data = (SAMPLES / "invoice_en.pdf").read_bytes()
    second = room.start(process, [InputSpec({}, (("again.pdf", data),))])
    room.run_step(second, "Intake", env)
    [again] = room.outputs(second)
    flagged = ItemPayload.parse(payload_of(again))
    assert flagged.document.name == "again.pdf" and flagged.document.source == "api"
    assert flagged.duplicate_of is not None and "invoice_en.pdf" in flagged.duplicate_of


@pytest.mark.slow
def test_intake_robot_fails_a_bad_inbox_path_and_goes_on(room: Room, tmp_path: Path) -> None:
    process = room.process("Intake")
    data = (SAMPLES / "receipt_fr.pdf").read_bytes()
    run = room.start(
        process,
        [InputSpec({"inbox": str(tmp_path / "nowhere")}), InputSpec({}, (("r.pdf", data),))],
    )
    room.run_step(run, "Intake", {"CLERK_INTAKE_LEDGER": str(tmp_path / "l.sqlite3")})
    bad, good = room.inputs(run)
    assert (bad.state, bad.exception_type, bad.exception_code) == (
        "FAILED", "BUSINESS", "BAD_PAYLOAD"
    )  # fmt: skip
    assert "nowhere" in (bad.exception_message or "")
    assert good.state == "COMPLETED"
    assert [payload_of(o)["document"]["name"] for o in room.outputs(run)] == ["r.pdf"]
