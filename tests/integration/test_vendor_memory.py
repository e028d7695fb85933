"""Instant learning end to end, with the installed models and a real Control Room
database (SQLite; PostgreSQL when CLERK_TEST_DATABASE_URL is set): a reviewer confirms a
shop's receipt (``samples/``), and that shop's next receipt, which waited for a person
before, goes ``auto`` with its fields right; nothing changes for another shop; a viewer
cannot teach, and a next receipt printing its total in another format is not lifted."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from clerk.documents import Document, Understanding
from clerk.errors import ClerkError
from clerk.paths import PROJECT_ROOT
from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from controlroom.services import vendor_memory
from controlroom.services.errors import Forbidden
from controlroom.services.processes import ensure_workspace
from extractors import read_all
from extractors.memory import CHECK
from pipeline.understander import Understander
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database

SAMPLES = PROJECT_ROOT / "samples"
SHOP = SAMPLES / "inbox" / "receipt_really_text.pdf"  # a shop's receipt, as plain text
# The same shop's next receipt: another day, number and amounts, the same layout.
NEXT = (
    ("20.04.2021 14:19:12", "27.04.2021 09:02:45"),
    ("CS92515731", "CS92515999"),
    ("Sub Total 339.80", "Sub Total 212.40"),
    ("GST 23.79", "GST 14.87"),
    ("AMOUNT DUE 363.59", "AMOUNT DUE 227.27"),
    ("VISA 363.59", "VISA 227.27"),
    ("S @ 7% 339.80 23.79", "S @ 7% 212.40 14.87"),
)


def _document(text: str, name: str) -> Document:
    return read_all(text.encode(), name).documents[0]


def _next(odd_total: bool = False) -> Document:
    text = SHOP.read_text()
    for old, new in NEXT:
        assert old in text
        text = text.replace(old, new)
    if odd_total:  # the total printed without decimals where the shop prints 227.27
        text = text.replace("AMOUNT DUE 227.27", "AMOUNT DUE 227")
    return _document(text, "next.txt")


@pytest.fixture(scope="module")
def understander() -> Understander:
    try:
        return Understander.load()
    except ClerkError as exc:
        pytest.fail(f"{exc}; `make test` builds the models before the tests")


@pytest.fixture(scope="module", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, sessionmaker[Session]]]:
    with fresh_database(request.param, tmp_path_factory.mktemp(f"mem-{request.param}")) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield url, make_sessionmaker(engine)
        engine.dispose()


def _with_memory(understander: Understander, url: str, workspace: str) -> Understander:
    memory = vendor_memory.DatabaseMemory.load(url, workspace)
    assert memory is not None
    return Understander.load(memory=memory)


def _teach(factory: sessionmaker[Session], workspace: str, understander: Understander,
           role: str = "reviewer") -> None:  # fmt: skip
    document = _document(SHOP.read_text(), SHOP.name)
    machine = understander.understand(document)
    truth = json.loads((SAMPLES / "expected" / f"{SHOP.name}.json").read_text())["fields"]
    with transaction(factory) as session:
        ws = ensure_workspace(session, workspace).id
        vendor_memory.teach_document(
            session, ws, document, machine, "receipt", truth, actor="user:rita", role=role
        )


def _memory_check(u: Understanding) -> str:
    return next((c.message for c in u.checks if c.name == CHECK), "")


def test_a_confirmed_receipt_sends_the_shops_next_one_auto(
    understander: Understander, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, factory = database
    before = understander.understand(_next())
    assert before.decision == "review", "the shop's next receipt waits for a person at first"
    _teach(factory, "learning", understander)
    learned = _with_memory(understander, url, "learning")
    after = learned.understand(_next())
    assert after.decision == "auto", after.reasons
    assert after.values()["total_amount"] == "227.27"
    assert after.values()["receipt_date"] == "2021-04-27"
    assert after.values()["merchant_name"] == "WILSON SOFTWARE SDN BHD"
    assert "WILSON SOFTWARE SDN BHD's documents of this layout" in _memory_check(after)

    other = SAMPLES / "inbox" / "receipt_fr.pdf"  # another shop: nothing changes
    (plain,) = understander.understand_path(other)
    (same,) = learned.understand_path(other)
    assert isinstance(plain, Understanding) and isinstance(same, Understanding)
    assert (same.decision, same.fields, same.checks) == (plain.decision, plain.fields, plain.checks)


def test_a_total_in_another_format_at_the_remembered_place_lifts_nothing(
    understander: Understander, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, factory = database
    _teach(factory, "odd-format", understander)
    odd = _with_memory(understander, url, "odd-format").understand(_next(odd_total=True))
    assert odd.decision == "review", odd.reasons
    assert "another format" in _memory_check(odd)


def test_a_viewer_cannot_teach_it(
    understander: Understander, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, factory = database
    with pytest.raises(Forbidden, match="a viewer may not teach"):
        _teach(factory, "viewer-only", understander, role="viewer")
    after = _with_memory(understander, url, "viewer-only").understand(_next())
    assert after.decision == "review" and _memory_check(after) == ""
