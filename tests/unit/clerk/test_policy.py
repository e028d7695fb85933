from clerk.documents import Check, Field, LineItem
from clerk.policy import PolicySettings, decide

SETTINGS = PolicySettings(type_confidence=0.9, field_confidence=0.9)
GOOD = [Field("total_amount", "12.50", "12.50", 0.99)]


def test_all_gates_pass_means_auto() -> None:
    assert decide("invoice", 0.95, GOOD, [Check("c", True, "ok")], SETTINGS) == ("auto", ())


def test_each_failed_gate_gives_a_reason() -> None:
    fields = [*GOOD, Field("iban", "DE00", "DE00", 0.4)]
    checks = [Check("iban_checksum", False, "checksum of DE00 is wrong")]
    decision, reasons = decide("invoice", 0.5, fields, checks, SETTINGS)
    assert decision == "review"
    assert [(r.kind, r.name) for r in reasons] == [
        ("type", "invoice"),
        ("field", "iban"),
        ("check", "iban_checksum"),
    ]  # what each names is data: the review screen flags by it, never by the sentence
    assert "confidence 0.500, below 0.9" in reasons[0].message
    assert "field iban" in reasons[1].message
    assert reasons[2].message == "check iban_checksum failed: checksum of DE00 is wrong"


def test_other_documents_always_go_to_a_person() -> None:
    decision, reasons = decide("other", 0.99, [], [], SETTINGS)
    assert decision == "review"
    assert "always go to a person" in reasons[0].message


def test_thresholds_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("CLERK_AUTO_TYPE_CONFIDENCE", "0.5")
    assert PolicySettings().type_confidence == 0.5


def test_a_value_just_under_the_bar_never_reads_as_equal_to_it() -> None:
    fields = [Field("total_amount", "12.50", "12.50", 0.89999)]
    _, reasons = decide("invoice", 0.95, fields, [], SETTINGS)
    assert "confidence 0.899, below 0.9" in str(reasons[0])


def _scanned_row(i: int, shaky: bool) -> LineItem:
    conf = 0.6 if shaky else 0.97
    return LineItem(
        (
            Field("description", f"Item {i}", f"Item {i}", conf),
            Field("quantity", "1", "1", conf),
            Field("unit_price", "2.00", "2.00", 0.97),
            Field("amount", "2.00", "2.00", conf),
        )
    )


def test_line_items_read_with_low_confidence_give_one_reason_naming_the_rows() -> None:
    """Issue 11: a scanned invoice listed a reason for each line item cell (62 of them).
    40 lines with three shaky cells each now give one reason, its rows as data."""
    rows = [_scanned_row(i, shaky=i % 2 == 0) for i in range(40)]
    checks = [Check("line_item_amounts", False, "line 4: ...; line 9: ...", (3, 8))]
    decision, reasons = decide("invoice", 0.95, GOOD, checks, SETTINGS, rows)
    assert decision == "review"
    assert [(r.kind, r.name) for r in reasons] == [
        ("rows", "line_items"),
        ("check", "line_item_amounts"),
    ]
    assert reasons[0].rows == tuple(range(0, 40, 2))
    assert reasons[1].rows == (3, 8)
    message = reasons[0].message
    assert message.startswith("20 of 40 line items have cells read with confidence below 0.9")
    assert "line 1 (description, quantity, amount)" in message and "and 12 more" in message


def test_sure_line_items_give_no_reason() -> None:
    rows = [_scanned_row(i, shaky=False) for i in range(3)]
    assert decide("invoice", 0.95, GOOD, [], SETTINGS, rows) == ("auto", ())
