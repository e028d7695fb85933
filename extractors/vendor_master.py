"""Master-data validation: the vendor a document names, looked up in the ERP's vendor master.

A name read by a model is a guess; the same name, VAT id or IBAN found in the vendor master
exported from the ERP is a fact about a known business partner. ``VendorMaster.load(path)``
reads that export once; ``check_vendor(doc_type, fields, master, text)`` looks the
document's vendor up and returns the fields (adjusted) and one ``Check`` named
``vendor_master_match``.

The file (``CLERK_VENDOR_MASTER``) is CSV, UTF-8, with a header row. Columns:

- ``name`` (required): the vendor's name as kept in the ERP;
- ``number``: the ERP's vendor number (shown in messages);
- ``vat_id``, ``iban``: compared without spaces or punctuation, case-insensitively;
- any other column (``city``, ...) is ignored. Empty cells are allowed.

Matching, identifiers first (a VAT id or an IBAN names one company; a name may not):

- the VAT id or the IBAN read is a vendor's, and so is the name (spaces, dots and case
  aside): confirmed, confidence ``IDENTIFIER_AND_NAME`` (0.99);
- the VAT id or the IBAN is a vendor's and the name is close to that vendor's (a misread
  letter, a dropped legal form): confirmed at ``IDENTIFIER_SIMILAR_NAME`` (0.96);
- no VAT id or IBAN read (a purchase order shows none), exactly one vendor has the name,
  and no other vendor of the master is named on the document: confirmed at ``NAME_ONLY``
  (0.95);
- the same, but the document names a second known company (a purchase order from a
  customer who is also a supplier, an invoice to one) that is not the buyer read: the
  check passes and raises nothing, since the name alone cannot tell which company the
  reading should have taken. On held-out purchase orders the model often takes the
  buyer's letterhead: with the buyers in the master, a plain name match confirmed
  wrong vendors, this rule none (``bench/bench_understanding.py --vendor-master
  --master-buyers`` counts them);
- failed, so a person looks: the VAT id or IBAN is another vendor's than the name, or
  names nobody the name resembles; the VAT id and the IBAN belong to two vendors; the
  named vendor's VAT id or IBAN on record differs from the document's (bank details
  changed, or a misread); several vendors share the name and nothing tells them apart;
  the buyer of a purchase order is read as the vendor too; the vendor is not in the
  master at all (the ERP would refuse the entry anyway).

A confirmed match uses the master's spelling of the name (the ERP finds the vendor by it),
keeps what the document shows as ``raw``, and raises the confidence of the vendor name, and
of the VAT id and IBAN it matched, to the match's confidence (never lowers it). Only types
with a ``vendor_name`` (invoices, purchase orders) are looked up; a document without a
vendor name is left to ``required:vendor_name``.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.documents import Check, Field
from clerk.errors import ApplicationError
from clerk.schemas import SCHEMAS

CHECK = "vendor_master_match"
IDENTIFIER_AND_NAME = 0.99
IDENTIFIER_SIMILAR_NAME = 0.96
NAME_ONLY = 0.95
SIMILAR = 0.85  # difflib ratio of two normalized names that may be one misread
MIN_NAMED = 6  # shorter normalized names are not looked for in a document's text
COLUMNS = ("number", "name", "vat_id", "iban")


class VendorMasterSettings(BaseSettings):
    """``CLERK_VENDOR_MASTER``: path of the vendor master CSV; unset: no lookup."""

    model_config = SettingsConfigDict(env_prefix="CLERK_")

    vendor_master: Path | None = None

    @field_validator("vendor_master", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class MasterVendor:
    number: str
    name: str
    vat_id: str = ""
    iban: str = ""

    def __str__(self) -> str:
        return f"{self.name} (no. {self.number})" if self.number else self.name


def name_key(name: str) -> str:
    """Case, accents' composition, spaces and punctuation other than ``&`` do not count:
    "Montprint B.V." and "MONTPRINT BV" are one name; "Richter KG" and "Richter SA" are not."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum() or ch == "&")


def id_key(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", value).upper())


class VendorMaster:
    """The vendors of one export, indexed by normalized name, VAT id and IBAN."""

    def __init__(self, vendors: Sequence[MasterVendor], source: str = "") -> None:
        self.vendors = tuple(vendors)
        self.source = source
        self._by: dict[str, dict[str, list[MasterVendor]]] = {"name": {}, "vat_id": {}, "iban": {}}
        self._keys = [(v, name_key(v.name)) for v in self.vendors]
        for v in self.vendors:
            for kind, key in (("name", name_key(v.name)), ("vat_id", id_key(v.vat_id)),
                              ("iban", id_key(v.iban))):  # fmt: skip
                if key:
                    self._by[kind].setdefault(key, []).append(v)

    def named_in(self, text: str, besides: MasterVendor) -> list[MasterVendor]:
        """The other vendors whose names ``text`` shows (names of ``MIN_NAMED`` or more
        characters, normalized; ``besides``'s own name taken out first, so that "Richter
        SA" is not found inside "Johnson & Richter SA")."""
        own = name_key(besides.name)
        found = name_key(text).replace(own, "|") if own else name_key(text)
        return [v for v, key in self._keys if v != besides and len(key) >= MIN_NAMED
                and key != own and key in found]  # fmt: skip

    def find(self, kind: str, value: str | None) -> list[MasterVendor]:
        """Vendors whose ``kind`` ("name", "vat_id", "iban") equals ``value``, normalized."""
        if not value:
            return []
        key = name_key(value) if kind == "name" else id_key(value)
        return list(self._by[kind].get(key, [])) if key else []

    @classmethod
    def load(cls, path: Path) -> VendorMaster:
        """Read the CSV export; a missing, unreadable or malformed file is an
        APPLICATION ``MASTER_DATA_UNAVAILABLE`` that says what to fix."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = list(reader)
                header = [(h or "").strip().casefold() for h in reader.fieldnames or ()]
        except FileNotFoundError:
            raise _unavailable(path, "the file does not exist") from None
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise _unavailable(path, f"it cannot be read as UTF-8 CSV ({exc})") from None
        if not rows:
            raise _unavailable(path, "it has no vendor rows below the header")
        if "name" not in header:
            raise _unavailable(path, f"its header has no 'name' column (found: {header})")
        vendors = []
        for line, row in enumerate(rows, start=2):
            cells = {k.strip().casefold(): (v or "").strip() for k, v in row.items()
                     if isinstance(k, str) and isinstance(v, str | None)}  # fmt: skip
            if not cells.get("name"):
                raise _unavailable(path, f"line {line} has an empty name")
            vendors.append(MasterVendor(*(cells.get(c, "") for c in COLUMNS)))
        return cls(vendors, str(path))

    @classmethod
    def from_settings(cls, settings: VendorMasterSettings | None = None) -> VendorMaster | None:
        path = (settings or VendorMasterSettings()).vendor_master
        return cls.load(path.expanduser()) if path is not None else None


def write_vendor_master(path: Path, vendors: Sequence[MasterVendor]) -> None:
    """The CSV form ``VendorMaster.load`` reads (an export from the ERP, a fixture)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows((v.number, v.name, v.vat_id, v.iban) for v in vendors)


def _unavailable(path: Path, why: str) -> ApplicationError:
    return ApplicationError(
        "MASTER_DATA_UNAVAILABLE",
        f"the vendor master {path} (CLERK_VENDOR_MASTER) cannot be used: {why}; export the "
        "vendor master from the ERP as CSV with the columns number,name,vat_id,iban, or "
        "unset CLERK_VENDOR_MASTER to understand documents without it",
    )


@dataclass(frozen=True)
class VendorMatch:
    """What the lookup found: the vendor (if confirmed), its confidence, the document
    fields it confirmed, and the check for the decision and the review screen."""

    vendor: MasterVendor | None
    confidence: float
    confirmed: tuple[str, ...]  # field names whose values equal the master's
    check: Check


def match_vendor(
    name: str,
    vat_id: str | None,
    iban: str | None,
    master: VendorMaster,
    *,
    text: str = "",
    buyer: str | None = None,
) -> VendorMatch:
    """Look the document's vendor up; ``text`` is the document's text (a name-only match
    needs it: see ``named_in``), ``buyer`` a purchase order's buyer as read."""
    if buyer and name_key(buyer) == name_key(name):
        return _failed(
            f"the vendor and the buyer are both read as {name!r}; check which company is which"
        )
    by_name = master.find("name", name)
    by_vat, by_iban = master.find("vat_id", vat_id), master.find("iban", iban)
    shown = {"vendor_vat_id": f"VAT id {vat_id}", "iban": f"IBAN {iban}"}
    if by_vat and by_iban and not set(by_vat) & set(by_iban):
        return _failed(
            f"the VAT id {vat_id} is {_names(by_vat)}'s but the IBAN {iban} is "
            f"{_names(by_iban)}'s in the vendor master; check both against the document"
        )
    by_id = [v for v in by_vat if v in by_iban] if by_vat and by_iban else by_vat or by_iban
    if by_id:
        ids = tuple(f for f, hits in (("vendor_vat_id", by_vat), ("iban", by_iban)) if hits)
        what = " and ".join(shown[f] for f in ids)
        both = [v for v in by_id if v in by_name]
        if len(both) == 1:
            by = ", ".join(shown[f] for f in ids) + " and name"
            return _confirmed(both[0], IDENTIFIER_AND_NAME, ("vendor_name", *ids), by)
        if by_name and not both:
            return _failed(
                f"the {what} belongs to {_names(by_id)} in the vendor master, but the document "
                f"names {_names(by_name)}; check which vendor sent it"
            )
        if len(by_id) == 1 and _resembles(name, by_id[0].name):
            return _confirmed(
                by_id[0], IDENTIFIER_SIMILAR_NAME, ids,
                f"{what}; the document writes the name {name!r}",
            )  # fmt: skip
        if len(by_id) == 1:
            return _failed(
                f"the {what} belongs to {by_id[0]} in the vendor master, but the document's "
                f"vendor name {name!r} is not that vendor's; check which vendor sent it"
            )
        return _failed(f"{len(by_id)} vendors in the vendor master have the {what}: "
                       f"{_names(by_id)}; pick the right one")  # fmt: skip
    given = {"vat_id": vat_id, "iban": iban}
    consistent = [v for v in by_name if not _contradicts(v, given)]
    if by_name and not consistent:
        vendor = by_name[0]
        differs = "; ".join(
            f"the document's {shown[f]} is not on record (the master has {getattr(vendor, k)})"
            for f, k in (("vendor_vat_id", "vat_id"), ("iban", "iban"))
            if _contradicts(vendor, {k: given[k]})
        )
        return _failed(
            f"{vendor} is in the vendor master, but {differs}: the vendor's details may have "
            "changed (confirm with the vendor before paying to a new account) or the value "
            "is misread"
        )
    if len(consistent) == 1:
        vendor = consistent[0]
        rivals = [v for v in master.named_in(text, besides=vendor)
                  if not buyer or name_key(v.name) != name_key(buyer)]  # fmt: skip
        if rivals:
            return VendorMatch(None, 0.0, (), Check(CHECK, True, (
                f"vendor {vendor} is in the vendor master (matched by name), but the document "
                f"also names {_names(rivals)}: a name alone does not tell which of them sent "
                "it, so the reading's confidence stands"
            )))  # fmt: skip
        return _confirmed(vendor, NAME_ONLY, ("vendor_name",), "name")
    if consistent:
        return _failed(
            f"{len(consistent)} vendors in the vendor master are named {name!r} "
            f"({_names(consistent)}) and the document shows no VAT id or IBAN of theirs; "
            "pick the right one"
        )
    printed = "".join(f", {shown[f]}" for f, v in (("vendor_vat_id", vat_id), ("iban", iban)) if v)
    return _failed(
        f"vendor {name!r}{printed} is not in the vendor master ({len(master.vendors)} vendors"
        f"{' from ' + master.source if master.source else ''}); add the vendor in the ERP and "
        "export the master again, or correct the vendor on the document"
    )


def check_vendor(
    doc_type: str, fields: Sequence[Field], master: VendorMaster | None, text: str = ""
) -> tuple[tuple[Field, ...], Check | None]:
    """The fields with a confirmed vendor applied, and the ``vendor_master_match`` check
    (``None`` when there is no master, the type names no vendor, or none was read).
    ``text`` is the document's text, for a name-only match."""
    schema = SCHEMAS.get(doc_type)
    if master is None or schema is None or schema.spec("vendor_name") is None:
        return tuple(fields), None
    values = {f.name: f.value for f in fields if f.value}
    name = values.get("vendor_name")
    if not name:
        return tuple(fields), None
    found = match_vendor(name, values.get("vendor_vat_id"), values.get("iban"), master,
                         text=text, buyer=values.get("buyer_name"))  # fmt: skip
    if found.vendor is None:
        return tuple(fields), found.check
    vendor = found.vendor
    adjusted = []
    for f in fields:
        if f.name in found.confirmed or f.name == "vendor_name":
            confidence = max(f.confidence, found.confidence)
            if f.name == "vendor_name" and f.value != vendor.name:
                f = replace(f, value=vendor.name, source="rule")
            f = replace(f, confidence=confidence)
        adjusted.append(f)
    return tuple(adjusted), found.check


def _confirmed(vendor: MasterVendor, confidence: float, fields: tuple[str, ...], by: str
               ) -> VendorMatch:  # fmt: skip
    message = f"vendor {vendor} is in the vendor master (matched by {by})"
    return VendorMatch(vendor, confidence, fields, Check(CHECK, True, message))


def _failed(message: str) -> VendorMatch:
    return VendorMatch(None, 0.0, (), Check(CHECK, False, message))


def _names(vendors: Sequence[MasterVendor]) -> str:
    return ", ".join(str(v) for v in vendors[:3]) + (" ..." if len(vendors) > 3 else "")


def _contradicts(vendor: MasterVendor, given: dict[str, str | None]) -> bool:
    """The document shows a VAT id or IBAN, and the vendor's on record is another."""
    return any(
        value and getattr(vendor, kind) and id_key(value) != id_key(getattr(vendor, kind))
        for kind, value in given.items()
    )


def _resembles(written: str, kept: str) -> bool:
    """A misread or shortened form of the same name: close by edit ratio, or the master
    name starting with the written one (a legal form the reading dropped)."""
    a, b = name_key(written), name_key(kept)
    return bool(a) and (difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR
                        or (len(a) >= 6 and b.startswith(a)))  # fmt: skip
