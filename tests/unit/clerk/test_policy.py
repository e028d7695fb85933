from clerk.documents import Check, Field
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
