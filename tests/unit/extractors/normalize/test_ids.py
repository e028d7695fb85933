"""IBANs (mod-97 + registry length) and VAT ids (country formats)."""

from __future__ import annotations

import random
import string

import pytest

from extractors.normalize import (
    iban_check_digits,
    iban_is_valid,
    normalize_iban,
    normalize_vat_id,
    vat_id_is_valid,
)
from extractors.normalize.ids import IBAN_LENGTHS, NUMERIC_BBAN

# Published example IBANs (national banks' and the ECBS registry's documentation).
KNOWN_IBANS = [
    "DE89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32",
    "FR14 2004 1010 0505 0001 3M02 606",
    "CH93 0076 2011 6238 5295 7",
    "NL91 ABNA 0417 1643 00",
    "AT61 1904 3002 3457 3201",
    "BE68 5390 0754 7034",
    "ES91 2100 0418 4502 0005 1332",
    "IT60 X054 2811 1010 0000 0123 456",
    "NO93 8601 1117 947",
]


@pytest.mark.parametrize("raw", KNOWN_IBANS)
def test_known_ibans(raw: str) -> None:
    compact = raw.replace(" ", "")
    assert normalize_iban(raw) == compact
    assert normalize_iban(raw.lower()) == compact
    assert normalize_iban(f"IBAN: {raw}") == compact
    assert normalize_iban(raw.replace(" ", "-")) == compact
    assert iban_is_valid(raw)


def _random_iban(rng: random.Random) -> str:
    country = rng.choice(sorted(IBAN_LENGTHS))
    alphabet = string.digits if country in NUMERIC_BBAN else string.digits + string.ascii_uppercase
    bban = "".join(rng.choice(alphabet) for _ in range(IBAN_LENGTHS[country] - 4))
    return f"{country}{iban_check_digits(country, bban)}{bban}"


@pytest.mark.parametrize("seed", range(4))
def test_generated_ibans_round_trip_and_every_single_slip_is_caught(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        iban = _random_iban(rng)
        spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        assert normalize_iban(spaced) == iban
        # mod-97 guarantees to catch any one wrong digit (a letter read as a digit
        # changes the length of the numeric form, which it catches only mostly).
        digits = [i for i in range(2, len(iban)) if iban[i].isdigit()]
        position = rng.choice(digits)
        replacement = rng.choice([d for d in string.digits if d != iban[position]])
        slipped = iban[:position] + replacement + iban[position + 1 :]
        assert normalize_iban(slipped) is None, (iban, slipped)
        assert normalize_iban(iban[:-1]) is None  # wrong length for the country


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "IBAN",
        "DE89 3704 0044 0532 0130 01",  # checksum
        "DE89 3704 0044 0532 0130 0",  # length
        "DE89 3704 0044 0532 0130 000",
        "XX89 3704 0044 0532 0130 00",  # no such country
        "DE8X 3704 0044 0532 0130 00",
        "DE89 3704 0044 0532 0130 0!",
        "89DE 3704 0044 0532 0130 00",
        "DE39 6L96 5387 O79L 4878 6X",  # a letter in a digits-only account
    ],
)
def test_bad_ibans(raw: str) -> None:
    assert normalize_iban(raw) is None
    assert not iban_is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE123456789", "DE123456789"),
        ("de 123 456 789", "DE123456789"),
        ("USt-IdNr.: DE 123 456 789", "DE123456789"),
        ("ATU12345678", "ATU12345678"),
        ("BE0123456789", "BE0123456789"),
        ("BG123456789", "BG123456789"),
        ("BG1234567890", "BG1234567890"),
        ("CY12345678L", "CY12345678L"),
        ("CZ12345678", "CZ12345678"),
        ("CZ1234567890", "CZ1234567890"),
        ("DK12345678", "DK12345678"),
        ("EE123456789", "EE123456789"),
        ("EL123456789", "EL123456789"),
        ("GR123456789", "EL123456789"),  # VIES writes Greece as EL
        ("ESX1234567X", "ESX1234567X"),
        ("ES12345678Z", "ES12345678Z"),
        ("FI12345678", "FI12345678"),
        ("FR12345678901", "FR12345678901"),
        ("FRXX123456789", "FRXX123456789"),
        ("N° TVA FR 12 345678901", "FR12345678901"),
        ("HR12345678901", "HR12345678901"),
        ("HU12345678", "HU12345678"),
        ("IE1234567T", "IE1234567T"),
        ("IE1234567WA", "IE1234567WA"),
        ("IE1A23456B", "IE1A23456B"),
        ("IT12345678901", "IT12345678901"),
        ("LT123456789", "LT123456789"),
        ("LT123456789012", "LT123456789012"),
        ("LU12345678", "LU12345678"),
        ("LV12345678901", "LV12345678901"),
        ("MT12345678", "MT12345678"),
        ("NL123456789B01", "NL123456789B01"),
        ("nl 1234.56.789.B.01", "NL123456789B01"),
        ("PL1234567890", "PL1234567890"),
        ("PT123456789", "PT123456789"),
        ("RO1234567890", "RO1234567890"),
        ("RO12", "RO12"),
        ("SE123456789001", "SE123456789001"),
        ("SI12345678", "SI12345678"),
        ("SK1234567890", "SK1234567890"),
        ("GB123456789", "GB123456789"),
        ("GB 123 4567 89", "GB123456789"),
        ("GB123456789012", "GB123456789012"),
        ("GBGD001", "GBGD001"),
        ("GBHA599", "GBHA599"),
        ("XI123456789", "XI123456789"),
        ("VAT No. GB123456789", "GB123456789"),
        ("CHE-123.456.789 MWST", "CHE123456789MWST"),
        ("CHE-123.456.789 TVA", "CHE123456789TVA"),
        ("CHE-123.456.789", "CHE123456789"),
        ("UID: CHE-123.456.789", "CHE123456789"),
    ],
)
def test_vat_ids(raw: str, expected: str) -> None:
    assert normalize_vat_id(raw) == expected
    assert vat_id_is_valid(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "DE12345678",  # 8 digits
        "DE1234567890",
        "DEX23456789",
        "AT12345678",  # missing U
        "BE2123456789",
        "ES123456789",  # Spain needs a letter
        "FR1234567890",  # SIREN one digit short
        "FRX123456789",
        "NL123456789A01",
        "SE123456789002",
        "RO0123",
        "GBGD500",
        "CHE-123.456.78 MWST",
        "CHE-123.456.789 VAT",
        "US123456789",
        "123456789",
        "VAT",
    ],
)
def test_bad_vat_ids(raw: str) -> None:
    assert normalize_vat_id(raw) is None
    assert not vat_id_is_valid(raw)


@pytest.mark.parametrize("seed", range(3))
def test_ocr_slips_in_ibans_are_repaired_only_when_mod97_agrees(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        bban = "".join(rng.choice(string.digits) for _ in range(18))
        iban = f"DE{iban_check_digits('DE', bban)}{bban}"
        slipped = iban[:2] + iban[2:].replace("0", "O").replace("1", "l")
        assert normalize_iban(slipped) == iban
    assert normalize_iban("DE89 37O4 OO44 O532 Ol3O O1") is None  # repaired, still wrong


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE l23 456 789", "DE123456789"),
        ("CHE-l23.456.789 MWST", "CHE123456789MWST"),
        ("NL123456789BO1", "NL123456789B01"),
        ("ATU1234567O", "ATU12345670"),
    ],
)
def test_ocr_slips_in_vat_ids(raw: str, expected: str) -> None:
    assert normalize_vat_id(raw) == expected
