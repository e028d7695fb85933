"""Deterministic vendor master data for the sandbox ERP.

A fixed list, plus every vendor named in the bundled ground truth
(``samples/expected/*.json``, under ``truth`` or ``fields``), so the demo invoices' vendors
exist. A sample vendor's number comes from a hash of its name, not from the order the
files were found in, so the same samples always give the same numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Vendor:
    number: str
    name: str
    vat_id: str
    iban: str
    city: str


def iban_with_check(country: str, bban: str) -> str:
    """An IBAN with valid ISO 13616 check digits for ``bban``."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(digits) % 97
    return f"{country}{check:02d}{bban}"


FIXED: tuple[Vendor, ...] = (
    Vendor(
        "10001",
        "Acme Office Supplies GmbH",
        "DE129274202",
        iban_with_check("DE", "370400440532013000"),
        "Köln",
    ),
    Vendor(
        "10002",
        "Nordlicht Papier AG",
        "DE811569869",
        iban_with_check("DE", "500105175407324931"),
        "Hamburg",
    ),
    Vendor(
        "10003",
        "Bureau Vallée SARL",
        "FR40303265045",
        iban_with_check("FR", "20041010050500013M02606"),
        "Lyon",
    ),
    Vendor(
        "10004",
        "Montprint B.V.",
        "NL276233299B62",
        iban_with_check("NL", "ABNA0417164300"),
        "Utrecht",
    ),
    Vendor(
        "10005",
        "Helvetia Druck AG",
        "CHE116281710",
        iban_with_check("CH", "0076201162385295"),
        "Bern",
    ),
    Vendor(
        "10006",
        "Brightline Logistics Ltd",
        "GB123456782",
        iban_with_check("GB", "NWBK60161331926819"),
        "Leeds",
    ),
    Vendor(
        "10007",
        "Castello Arredi S.r.l.",
        "IT00743110157",
        iban_with_check("IT", "X0542811101000000123456"),
        "Milano",
    ),
    Vendor(
        "10008",
        "Iberia Componentes S.L.",
        "ESB12345674",
        iban_with_check("ES", "21000418450200051332"),
        "Valencia",
    ),
    Vendor(
        "10009",
        "Kappa Elektronik GmbH",
        "DE136695976",
        iban_with_check("DE", "120300000000202051"),
        "Berlin",
    ),
    Vendor(
        "10010",
        "Oakridge Furniture Inc.",
        "US-EIN-12-3456789",
        iban_with_check("GB", "BARC20000055779911"),
        "Boston",
    ),
    Vendor(
        "10011",
        "Papeterie du Nord SA",
        "FR83404833048",
        iban_with_check("FR", "30006000011234567890189"),
        "Lille",
    ),
    Vendor(
        "10012",
        "Stahlwerk Süd KG",
        "DE257518693",
        iban_with_check("DE", "600501010001234567"),
        "Stuttgart",
    ),
)


def _digest(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.casefold().encode()).digest()[:8], "big")


def sample_vendors(samples_dir: Path, taken: set[str]) -> list[Vendor]:
    """Vendors named in the ground-truth files, skipping names already present."""
    if not samples_dir.is_dir():
        return []
    found: dict[str, tuple[str, str, str]] = {}
    for path in sorted(samples_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        truth = data.get("truth") or data.get("fields") if isinstance(data, dict) else None
        if not isinstance(truth, dict) or not truth.get("vendor_name"):
            continue
        name = str(truth["vendor_name"]).strip()
        key = name.casefold()
        vat, iban = str(truth.get("vendor_vat_id") or ""), str(truth.get("iban") or "")
        old = found.get(key)
        # Several files may name one vendor; keep the most complete record.
        if old is None or (not old[1] and vat) or (not old[2] and iban):
            found[key] = (name, vat or (old[1] if old else ""), iban or (old[2] if old else ""))
    names_taken = {n.casefold() for n in taken}
    numbers: set[str] = set()
    out: list[Vendor] = []
    for key in sorted(found):
        name, vat, iban = found[key]
        if key in names_taken:
            continue
        digest = _digest(name)
        number = 20000 + digest % 80000
        while str(number) in numbers:  # rare collision: probe deterministically
            number = 20000 + (number - 20000 + 1) % 80000
        numbers.add(str(number))
        if not iban:
            iban = iban_with_check("DE", f"{digest % 10**18:018d}")
        out.append(Vendor(str(number), name, vat, iban.replace(" ", ""), ""))
    return out


def all_vendors(samples_dir: Path) -> list[Vendor]:
    fixed = list(FIXED)
    return fixed + sample_vendors(samples_dir, {v.name for v in fixed})
