"""Master-data validation inside the pipeline: ``CLERK_VENDOR_MASTER`` read by
``Understander.load()``, the installed models, the bundled samples.

The master is exported from the sandbox ERP's seed (the vendors the demo's ERP holds).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from clerk.documents import Understanding
from clerk.errors import ApplicationError, ClerkError
from clerk.paths import PROJECT_ROOT
from clerk.policy import PolicySettings
from extractors import read_all
from extractors.corroborate import corroborate
from extractors.vendor_master import CHECK, MasterVendor, VendorMaster, write_vendor_master
from pipeline.understander import Understander
from sandbox._seed import all_vendors

SAMPLES = PROJECT_ROOT / "samples"
# A bundled invoice whose sender the pipeline reads, and its vendor as the master has it.
CLEAN = "facture_fr.pdf"
VENDOR = json.loads((SAMPLES / "expected" / f"{CLEAN}.json").read_text())["fields"]
SEEDED = [
    MasterVendor(v.number, v.name, v.vat_id, v.iban) for v in all_vendors(SAMPLES / "expected")
]


@pytest.fixture(scope="module")
def master_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("master") / "vendors.csv"
    write_vendor_master(path, SEEDED)
    return path


@pytest.fixture(scope="module")
def understander(master_file: Path) -> Understander:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLERK_VENDOR_MASTER", str(master_file))
        try:
            return Understander.load()
        except ClerkError as exc:
            pytest.fail(f"{exc}; `make test` builds the models before the tests")


def understand(understander: Understander, name: str) -> Understanding:
    (outcome,) = understander.understand_path(SAMPLES / "inbox" / name)
    assert isinstance(outcome, Understanding), outcome
    return outcome


def vendor_check(u: Understanding) -> str | None:
    found = [c for c in u.checks if c.name == CHECK]
    return None if not found else ("passed" if found[0].passed else "failed")


# Routing that hangs on the checks alone: whether the model's confidence in a field lands
# above 0.93 is model quality (bench/), not the behaviour of the vendor master.
CHECKS_ONLY = PolicySettings(type_confidence=0.0, field_confidence=0.0)


def vendor_reasons(u: Understanding) -> list[str]:
    return [r.message for r in u.reasons if "vendor" in r.message]


def test_a_clean_invoice_of_a_known_vendor_goes_on_alone(understander: Understander) -> None:
    u = understand(understander, CLEAN)
    assert vendor_check(u) == "passed"
    vendor = u.field("vendor_name")
    assert vendor is not None and vendor.value == VENDOR["vendor_name"]
    assert vendor.confidence >= 0.99
    # A confirmed vendor is never a reason for review, whatever the other fields say.
    assert vendor_reasons(u) == [], u.reasons
    u = understand(replace(understander, policy=CHECKS_ONLY), CLEAN)
    assert u.decision == "auto", u.reasons


def test_without_the_setting_nothing_is_looked_up(understander: Understander) -> None:
    plain = replace(understander, vendors=None)
    u = understand(plain, CLEAN)
    assert vendor_check(u) is None
    # The vendor's fields are the extractor's reading, lifted by the document's own checks
    # at most (extractors.corroborate), never by a master: nothing is "matched".
    (document,) = read_all((SAMPLES / "inbox" / CLEAN).read_bytes(), "x").documents
    extracted = {f.name: f for f in understander.extractor.extract(document, u.doc_type)}
    lifted, _ = corroborate(u.doc_type, tuple(extracted.values()), (), document.text)
    expected = {f.name: f for f in lifted}
    for name in ("vendor_name", "vendor_vat_id", "iban"):
        assert u.field(name) == expected.get(name), name


def test_a_vat_id_on_record_for_another_vendor_sends_the_invoice_to_review(
    understander: Understander,
) -> None:
    """The sender's VAT id under another name in the master: the document's VAT id and
    name point at two vendors, and a person must look."""
    sender = VENDOR["vendor_name"]
    swapped = [
        replace(v, vat_id=VENDOR["vendor_vat_id"]) if v.name == "Nordlicht Papier AG" else
        replace(v, vat_id="NL000000000B01") if v.name == sender else v
        for v in SEEDED
    ]  # fmt: skip
    checked = replace(understander, vendors=VendorMaster(swapped), policy=CHECKS_ONLY)
    u = understand(checked, CLEAN)
    assert u.decision == "review" and vendor_check(u) == "failed"
    assert any("Nordlicht Papier AG" in r.message and sender in r.message for r in u.reasons), (
        u.reasons
    )


def test_a_scan_stays_with_a_person_even_with_its_vendor_confirmed(
    understander: Understander,
) -> None:
    u = understand(understander, "scan_invoice_en.tiff")
    assert vendor_check(u) == "passed" and u.decision == "review"


def test_a_missing_master_file_stops_the_load_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLERK_VENDOR_MASTER", str(tmp_path / "missing.csv"))
    with pytest.raises(ApplicationError) as raised:
        Understander.load()
    assert raised.value.code == "MASTER_DATA_UNAVAILABLE"
    assert "missing.csv" in raised.value.message
