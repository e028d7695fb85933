"""The label reader's values merged into the NER's fields (``extractors._reconcile``):
what agreement, disagreement and silence between the two readers are worth."""

from __future__ import annotations

from dataclasses import replace

from clerk.documents import Box, Field, LineItem
from extractors._keyvalue import KeyValue
from extractors._reconcile import (
    AGREE_CONFIDENCE,
    DISAGREE_CONFIDENCE,
    KV_ONLY_CONFIDENCE,
    UNOPPOSED_CONFIDENCE,
    reconcile,
)

KV = KeyValue("issue_date", "03.08.2024", "2024-08-03", "Date", "below", 1, Box(1, 2, 3, 4))


def test_reconcile_fills_a_missing_field_below_the_auto_bar() -> None:
    order = KeyValue("po_number", "PO-77", "PO-77", "Order No", "right", 1, Box(1, 2, 3, 4))
    (field,) = reconcile([], [order], "invoice")
    assert field == Field(
        "po_number", "PO-77", "PO-77", KV_ONLY_CONFIDENCE, 1, Box(1, 2, 3, 4), "rule"
    )
    assert KV_ONLY_CONFIDENCE < 0.93


def test_reconcile_a_missing_number_or_date_nothing_contradicts_passes_the_bar() -> None:
    (field,) = reconcile([], [KV], "invoice", {})
    assert (field.value, field.confidence, field.source) == (
        "2024-08-03",
        UNOPPOSED_CONFIDENCE,
        "rule",
    )
    assert UNOPPOSED_CONFIDENCE >= 0.93
    number = KeyValue(
        "invoice_number", "F-0412", "F-0412", "N° de facture", "right", 1, Box(1, 2, 3, 4)
    )
    assert reconcile([], [number], "invoice", {})[0].confidence == UNOPPOSED_CONFIDENCE
    # An order's own number; the order an invoice refers to only under a label that
    # names the buyer's order, not any order's number (see above).
    order = KeyValue(
        "po_number", "4500932471", "4500932471", "PO Number", "right", 1, Box(1, 2, 3, 4)
    )
    assert reconcile([], [order], "purchase_order", {})[0].confidence == UNOPPOSED_CONFIDENCE
    assert reconcile([], [order], "invoice", {})[0].confidence == UNOPPOSED_CONFIDENCE
    any_order = replace(order, label="Order number:")
    assert reconcile([], [any_order], "invoice", {})[0].confidence == KV_ONLY_CONFIDENCE
    # A bare "Date" is the document's date where no label names a date (key_values keeps
    # it only then).
    bare = replace(KV, generic=True)
    assert reconcile([], [bare], "invoice", {})[0].confidence == UNOPPOSED_CONFIDENCE


def test_reconcile_a_model_below_even_odds_does_not_oppose_the_label() -> None:
    unsure = Field("issue_date", "18.12.2024", "2024-12-18", 0.41)  # the due date, weakly
    (field,) = reconcile([unsure], [KV], "invoice", {})
    assert (field.value, field.confidence) == ("2024-08-03", UNOPPOSED_CONFIDENCE)
    fair = Field("issue_date", "18.12.2024", "2024-12-18", 0.6)
    assert reconcile([fair], [KV], "invoice", {})[0].confidence == DISAGREE_CONFIDENCE


def test_reconcile_a_missing_field_something_contradicts_stays_below_the_bar() -> None:
    read_as_due = {"due_date": frozenset({"2024-08-03"})}  # the model read it as another
    ocr = replace(KV, ocr=0.9)  # OCR text
    ambiguous = replace(KV, raw="03/08/2024")  # March or August
    for kv, read_as in ((KV, read_as_due), (ocr, {}), (ambiguous, {})):
        (field,) = reconcile([], [kv], "invoice", read_as)
        assert field.confidence == KV_ONLY_CONFIDENCE, kv


def test_reconcile_replaces_a_value_that_did_not_normalize() -> None:
    ner = Field("issue_date", "3 Augst", None, 0.4)
    assert reconcile([ner], [KV], "invoice")[0].value == "2024-08-03"


def test_reconcile_disagreement_shows_the_geometric_value_to_a_person() -> None:
    ner = Field("issue_date", "02.09.2024", "2024-09-02", 0.99)
    (field,) = reconcile([ner], [KV], "invoice")
    assert field.value == "2024-08-03" and field.source == "rule"
    assert field.confidence == DISAGREE_CONFIDENCE


def test_reconcile_disagreement_the_model_also_read_as_the_field_is_agreement() -> None:
    """The model took the due date for the issue date, but it read the labelled issue
    date as one too: the label and the model agree on it."""
    ner = Field("issue_date", "13.08.2024", "2024-08-13", 0.9)
    read_as = {"issue_date": frozenset({"2024-08-13", "2024-08-03"})}
    (field,) = reconcile([ner], [KV], "invoice", read_as)
    assert (field.value, field.confidence) == ("2024-08-03", AGREE_CONFIDENCE)


def test_reconcile_disagreement_the_model_read_otherwise_stays_with_a_person() -> None:
    ner = Field("issue_date", "13.08.2024", "2024-08-13", 0.9)
    for read_as in (
        {"issue_date": frozenset({"2024-08-13"})},
        {"due_date": frozenset({"2024-08-03"})},
    ):
        (field,) = reconcile([ner], [KV], "invoice", read_as)
        assert (field.value, field.confidence) == ("2024-08-03", DISAGREE_CONFIDENCE)


def test_reconcile_disagreement_settles_no_ambiguous_or_ocr_date() -> None:
    ner = Field("issue_date", "13.08.2024", "2024-08-13", 0.9)
    read_as = {"issue_date": frozenset({"2024-08-03"})}
    ambiguous = KeyValue(
        "issue_date", "03/08/2024", "2024-08-03", "Date", "right", 1, Box(1, 2, 3, 4)
    )
    misread = KeyValue(
        "issue_date", "03.08.2024", "2024-08-03", "Date", "right", 1, Box(1, 2, 3, 4), ocr=0.8
    )
    for kv in (ambiguous, misread):
        (field,) = reconcile([ner], [kv], "invoice", read_as)
        assert field.confidence == DISAGREE_CONFIDENCE


def test_reconcile_two_labelled_values_keep_the_reading_below_the_auto_bar() -> None:
    """ "Prix actuel 182.18" and "Tarif 173.50": which price the notice means, a person
    says; the NER's reading stays, under the bar."""
    box = Box(1, 2, 3, 4)
    old = KeyValue("price", "182.18", "182.18", "Prix actuel", "right", 1, box)
    new = KeyValue("price", "173.50", "173.50", "Tarif", "right", 1, box)
    ner = Field("price", "182.18", "182.18", 0.99)
    (field,) = reconcile([ner], [old, new], "product_update")
    assert (field.value, field.confidence) == ("182.18", KV_ONLY_CONFIDENCE)
    assert reconcile([], [old, new], "product_update") == ()


def test_reconcile_agreement_lifts_a_low_ner_confidence() -> None:
    ner = Field("issue_date", "3 Aug 2024", "2024-08-03", 0.7)
    kv = KeyValue("issue_date", "3 August 2024", "2024-08-03", "Date", "right", 1, Box(1, 2, 3, 4))
    (field,) = reconcile([ner], [kv], "invoice")
    assert field == Field("issue_date", "3 Aug 2024", "2024-08-03", AGREE_CONFIDENCE)
    sure = Field("issue_date", "3 Aug 2024", "2024-08-03", 0.99)
    assert reconcile([sure], [kv], "invoice") == (sure,)


def test_reconcile_agreement_on_ocr_text_lifts_nothing() -> None:
    ner = Field("issue_date", "3 Aug 2024", "2024-08-03", 0.7)
    kv = KeyValue(
        "issue_date", "3 Aug 2024", "2024-08-03", "Date", "right", 1, Box(1, 2, 3, 4), ocr=0.9
    )
    assert reconcile([ner], [kv], "invoice") == (ner,)


def test_reconcile_agreement_on_a_day_month_ambiguous_date_lifts_nothing() -> None:
    ner = Field("issue_date", "03/08/2024", "2024-08-03", 0.7)
    assert reconcile([ner], [KV], "invoice") == (ner,)


def test_reconcile_agreement_on_a_dotted_date_lifts_it() -> None:
    ner = Field("issue_date", "03.08.2024", "2024-08-03", 0.7)
    (field,) = reconcile([ner], [KV], "invoice")
    assert field.confidence > 0.93


def test_reconcile_ignores_labels_that_point_at_two_values_and_foreign_fields() -> None:
    other = KeyValue("issue_date", "04.08.2024", "2024-08-04", "Datum", "right", 1, Box(1, 2, 3, 4))
    assert reconcile([], [KV, other], "invoice") == ()
    assert reconcile([], [KV], "product_update") == ()


def test_reconcile_a_number_or_date_a_label_names_as_another_field_is_not_this_one() -> None:
    po_box, number_box = Box(400, 300, 440, 310), Box(400, 250, 450, 260)
    po = KeyValue("po_number", "21065", "21065", "PO #", "below", 1, po_box)
    number = KeyValue(
        "invoice_number", "1241634", "1241634", "Invoice Number", "below", 1, number_box
    )
    # The model read the words under "PO #" as the invoice number: the label of the
    # invoice number is unopposed then, not outvoted.
    misread = Field("invoice_number", "21065", "21065", 0.9, 1, Box(401, 301, 439, 309))
    fields = {f.name: f for f in reconcile([misread], [po, number], "invoice", {})}
    assert (fields["invoice_number"].value, fields["invoice_number"].confidence) == (
        "1241634",
        UNOPPOSED_CONFIDENCE,
    )
    # The one date, under a bare "Date", read as the due date as well: no due date.
    dated = replace(KV, generic=True)
    due = Field("due_date", "03.08.2024", "2024-08-03", 0.8, 1, Box(1, 2, 3, 4))
    assert [f.name for f in reconcile([due], [dated], "invoice", {})] == ["issue_date"]
    # The same value elsewhere on the page is no claim, nor is an amount's shared words.
    apart = replace(due, box=Box(100, 500, 140, 510))
    assert "due_date" in {f.name for f in reconcile([apart], [dated], "invoice", {})}
    net = Field("net_amount", "58.08", "58.08", 0.9, 1, Box(1, 2, 3, 4))
    total = KeyValue("total_amount", "58.08", "58.08", "Total", "right", 1, Box(1, 2, 3, 4))
    assert "net_amount" in {f.name for f in reconcile([net], [total], "invoice", {})}


def test_reconcile_a_table_rows_words_do_not_oppose_the_fields_own_label() -> None:
    def row(top: float) -> LineItem:
        cells = (
            Field(
                "description", "Office chair", "Office chair", 0.97, 1, Box(100, top, 170, top + 9)
            ),
            Field("amount", "2574.50", "2574.50", 0.97, 1, Box(500, top, 545, top + 9)),
        )
        return LineItem(cells)

    rows = (row(330), row(360), row(390))
    po = KeyValue("po_number", "21065", "21065", "PO #", "below", 1, Box(400, 250, 440, 260))
    # "Art. No. P22851" under the second row, read as the order reference.
    detail = Field("po_number", "P22851", "P22851", 0.68, 1, Box(140, 372, 180, 381))
    (field,) = reconcile([detail], [po], "invoice", {}, rows)
    assert (field.value, field.confidence) == ("21065", UNOPPOSED_CONFIDENCE)
    # Without the table, or with the model's value above it, the two disagree.
    assert reconcile([detail], [po], "invoice", {})[0].confidence == DISAGREE_CONFIDENCE
    header = replace(detail, box=Box(140, 200, 180, 209))
    assert reconcile([header], [po], "invoice", {}, rows)[0].confidence == DISAGREE_CONFIDENCE
    # Without a label of its own, the model's reading stays as it was.
    assert reconcile([detail], [], "invoice", {}, rows) == (detail,)


def test_reconcile_a_rows_amount_read_as_the_documents_waits_for_a_person() -> None:
    cell = Field("amount", "933,28", "933.28", 0.97, 1, Box(500, 360, 545, 369))
    rows = (LineItem((cell,)), LineItem((replace(cell, box=Box(500, 380, 545, 389)),)))
    tax = Field("tax_amount", "933,28", "933.28", 0.98, 1, Box(500, 360, 545, 369))
    (field,) = reconcile([tax], [], "purchase_order", {}, rows)
    assert (field.value, field.confidence) == ("933.28", KV_ONLY_CONFIDENCE)
    # The same sum printed apart, under the table, is the document's own.
    below = replace(tax, box=Box(500, 420, 545, 429))
    assert reconcile([below], [], "purchase_order", {}, rows) == (below,)
