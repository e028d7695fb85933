from __future__ import annotations

import json
from pathlib import Path

from sandbox._seed import FIXED, all_vendors, iban_with_check, sample_vendors


def iban_valid(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def test_fixed_vendors_are_unique_with_valid_ibans() -> None:
    assert len({v.number for v in FIXED}) == len(FIXED)
    assert all(iban_valid(v.iban) for v in FIXED)
    assert iban_with_check("DE", "370400440532013000") == "DE89370400440532013000"


def write(folder: Path, name: str, data: object) -> None:
    (folder / name).write_text(json.dumps(data), encoding="utf-8")


def test_sample_vendors_are_read_from_truth_or_fields_deterministically(tmp_path: Path) -> None:
    zeta = {"vendor_name": "Zeta Tools GmbH", "vendor_vat_id": "DE111",
            "iban": "DE44 5001 0517 5407 3249 31"}  # fmt: skip
    write(tmp_path, "a.json", {"truth": zeta})
    write(tmp_path, "b.json", {"fields": {"vendor_name": "alpha works ltd"}})
    write(tmp_path, "c.json", {"fields": {"vendor_name": "Montprint B.V."}})  # already fixed
    write(tmp_path, "d.json", {"error": "EMPTY_FILE"})
    (tmp_path / "e.json").write_text("{not json", encoding="utf-8")
    first = sample_vendors(tmp_path, {v.name for v in FIXED})
    assert [v.name for v in first] == ["alpha works ltd", "Zeta Tools GmbH"]
    zeta = first[1]
    assert (zeta.vat_id, zeta.iban) == ("DE111", "DE44500105175407324931")
    assert iban_valid(first[0].iban)  # made up, but valid, when the sample has none
    # Same names in another order and folder: the same numbers.
    other = tmp_path / "other"
    other.mkdir()
    write(other, "1.json", {"fields": {"vendor_name": "Zeta Tools GmbH", "vendor_vat_id": "DE111",
                                       "iban": "DE44500105175407324931"}})  # fmt: skip
    write(other, "2.json", {"truth": {"vendor_name": "alpha works ltd"}})
    assert sample_vendors(other, {v.name for v in FIXED}) == first


def test_missing_samples_folder_is_skipped(tmp_path: Path) -> None:
    assert all_vendors(tmp_path / "absent") == list(FIXED)
