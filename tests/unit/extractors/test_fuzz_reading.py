"""Hypothesis with a byte budget on the readers (PDF, PNG/JPEG/TIFF, e-mail, xlsx, text).

Each example starts from a small valid file of one kind, built here by code, and damages
it (flipped bits, overwritten, inserted, deleted or repeated bytes, truncation; for an
.xlsx, damage to one XML member inside a zip that still opens), or is random bytes behind
a format's magic. The property of ``extractors.read_all``, the reading layer's entry
point: it returns documents, or raises a ``ClerkError`` whose code is in
``clerk.errors.CODES`` and of type BUSINESS or APPLICATION; a failed e-mail attachment is
such an error too. Nothing else escapes, and no example takes more than ``MAX_SECONDS`` of CPU time.

Budget: at most ``BYTE_BUDGET`` bytes of damage or noise per example, ``EXAMPLES``
examples per kind, OCR at 72 DPI (the images are small): about 10 s in all. The
bad-input kinds tried are listed in ``docs/fuzzing.md``.
"""

from __future__ import annotations

import functools
import io
import resource
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image, ImageDraw

from clerk.errors import CODES, ClerkError
from extractors import ReadingSettings, read_all
from tests.unit.extractors.conftest import font, text_pdf

BYTE_BUDGET = 512
EXAMPLES = 25
MAX_SECONDS = 10.0
SETTINGS = ReadingSettings(
    max_pages=3, max_image_pixels=200_000, max_file_bytes=200_000, ocr_dpi=72
)


def _image(fmt: str) -> bytes:
    image = Image.new("L", (160, 40), 255)
    ImageDraw.Draw(image).text((4, 8), "INV-17 12.50", font=font(18), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _pdf() -> bytes:
    return text_pdf(
        [[(60, 80, "Invoice INV-17", "Helvetica", 12), (60, 100, "Total 12.50", "Helvetica", 10)]]
    )


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["SKU", "Name", "Price"])
    sheet.append(["A-100", "Copy paper", 4.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _mail() -> bytes:
    message = EmailMessage()
    message["From"] = "ap@vendor.example"
    message["To"] = "ap@clerk.example"
    message["Subject"] = "Rechnung"
    message.set_content("Grüße, die Rechnung über 12,50 € anbei.")
    message.add_attachment(_pdf(), maintype="application", subtype="pdf", filename="a.pdf")
    message.add_attachment(
        _xlsx(), maintype="application", subtype="octet-stream", filename="b.xlsx"
    )
    return message.as_bytes()


SEEDS: dict[str, Callable[[], bytes]] = {
    "pdf": _pdf,
    "png": lambda: _image("PNG"),
    "jpeg": lambda: _image("JPEG"),
    "tiff": lambda: _image("TIFF"),
    "xlsx": _xlsx,
    "email": _mail,
    "text": lambda: "Rechnung Nr. 17 über 12,50 EUR\n".encode("latin-1"),
}
MAGIC = [
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"II*\x00",
    b"MM\x00*",
    b"PK\x03\x04",
    b"From: a@b\r\nSubject: x\r\n",
    b"",
]


@functools.cache
def seed(kind: str) -> bytes:
    return SEEDS[kind]()


noise = st.binary(max_size=BYTE_BUDGET)
EDITS = ("flip", "overwrite", "insert", "delete", "repeat", "truncate")
MEMBER_ACTIONS = ("damage", "drop", "deep", "entities")


@st.composite
def damaged(draw: st.DrawFn, data: bytes, edits: tuple[str, ...] = EDITS) -> bytes:
    """``data`` after one to four random edits of at most BYTE_BUDGET bytes in all."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        edit = draw(st.sampled_from(edits))
        if edit == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=BYTE_BUDGET // 4))
            data[at : at + len(chunk)] = chunk
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=BYTE_BUDGET // 4))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, BYTE_BUDGET // 4))]
        elif edit == "repeat":
            chunk = data[at : at + draw(st.integers(1, 64))]
            data[at:at] = chunk * draw(st.integers(1, 4))
        elif edit == "truncate":
            del data[at:]
    return bytes(data)


@st.composite
def damaged_xlsx_member(
    draw: st.DrawFn, data: bytes, actions: tuple[str, ...] = MEMBER_ACTIONS
) -> bytes:
    """An .xlsx whose zip is intact but one member (XML, rels, content types) is damaged,
    dropped, or replaced by a deep or huge one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    name = draw(st.sampled_from(sorted(members)))
    action = draw(st.sampled_from(actions))
    if action == "drop":
        del members[name]
    elif action == "deep":
        members[name] = b"<a>" * 5000 + b"</a>" * 5000
    elif action == "entities":
        members[name] = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;</x>'
        )
    else:
        members[name] = draw(damaged(members[name]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def _cpu_seconds() -> float:
    """CPU time of this process and its children (tesseract): unlike wall time, it does
    not grow when other work shares the machine's cores."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _read_is_typed(data: bytes, name: str) -> None:
    started = _cpu_seconds()
    try:
        result = read_all(data, name, SETTINGS)
    except ClerkError as exc:
        failures = [(name, exc)]
    else:
        failures = list(result.failures)
    elapsed = _cpu_seconds() - started
    assert elapsed < MAX_SECONDS, f"{name}: {elapsed:.1f} s"
    for label, error in failures:
        assert error.code in CODES and error.type in ("BUSINESS", "APPLICATION"), (label, error)
        # An INTERNAL code means an exception the readers did not expect: a bug to type.
        assert error.code != "INTERNAL", (label, error)


# Pillow and openpyxl warn (UserWarning) about damaged parts they skip, such as corrupt
# EXIF or bad relationships, and read on; outside pytest's warnings-as-errors that is a
# log line, not a failure (openpyxl turns a relationship it cannot parse into such a
# warning; raised as an error here it would look like a crash), so only those warnings
# are let through here.
pytestmark = [
    pytest.mark.filterwarnings("ignore::UserWarning:PIL.*"),
    pytest.mark.filterwarnings("ignore::UserWarning:openpyxl.*"),
]

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@pytest.mark.ocr
@pytest.mark.parametrize("kind", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_damaged_files_give_a_typed_error_or_documents(kind: str, data: st.DataObject) -> None:
    _read_is_typed(data.draw(damaged(seed(kind)), label="file"), f"damaged.{kind}")


@pytest.mark.ocr
@FUZZ
@given(data=st.data())
def test_xlsx_with_a_damaged_member_gives_a_typed_error_or_documents(
    data: st.DataObject,
) -> None:
    _read_is_typed(data.draw(damaged_xlsx_member(seed("xlsx")), label="file"), "member.xlsx")


@pytest.mark.ocr
@FUZZ
@given(magic=st.sampled_from(MAGIC), body=noise)
def test_noise_behind_a_magic_gives_a_typed_error_or_documents(magic: bytes, body: bytes) -> None:
    _read_is_typed(magic + body, "noise.bin")
