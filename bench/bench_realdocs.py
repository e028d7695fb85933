"""Document understanding on real documents: shop receipts (SROIE), accuracy and speed.

    .venv/bin/python bench/bench_realdocs.py [--split heldout|tune|all] [--items 200 201 ...]
        [--limit N] [--workers 2] [--dir PATH] [--skip-baseline] [--errors] [--json PATH]
        [--dump PATH]

The documents live outside the repository (they are for research use only): ``--dir``,
else ``CLERK_REALDOCS``, else ``<repo>/../shared/realdocs``; see its README.md. When they
are absent the bench says so and exits 0. Nothing of the data set is copied here.

``sroie/`` holds 150 real receipts, items 100-249: ``img/NNN.jpg``, ``key/NNN.json``
(company, date, address, total) and ``box/NNN.csv`` (the true text, line by line).
Splits: ``tune`` = 100-199 (look at these while developing), ``heldout`` = 200-249 (the
default: report on these), ``all``.

Clerk runs in-process the way ``clerk understand --workers N`` runs it: a fork process
pool whose initializer loads ``Understander.load()`` once per worker. Each worker reads
the file (``extractors.read_all``) and understands every document in it, like
``Understander.understand_bytes``, so the text Clerk read is at hand for the OCR figures
without reading twice. Per-document seconds (read + understand) are measured inside the
worker; the wall time covers the whole set, pool start and model loading included.

Matching rules (the same rules that judge Clerk elsewhere):
- ``receipt_date`` vs the key's date: the same calendar day (keys are day first);
- ``total_amount`` vs the key's total: equal to the cent (keys may carry "RM", commas);
- ``merchant_name`` vs the key's company: difflib ratio >= 0.85 on upper-cased text
  reduced to A-Z, digits and single spaces.
A field's prediction is its ``value`` (an amount's ``amount``), else its ``raw``. A field
of another name (say ``vendor_name`` on a document typed invoice) does not count; the
"any type" line shows what the same fields would score if the type were ignored.

OCR: character error rate of the document's text against the box files' text (both
upper-cased, all whitespace collapsed to one space), summed over the split. The files list
a row's label and amount as separate boxes, often far apart, so the CER in file order
counts reading order as errors too; a second figure takes the truth in reading order
(boxes grouped into rows by position). Handwritten notes on the paper are not in the
truth: what OCR makes of them counts as insertions in both. Also: how often the true
total, date and company are present in the text Clerk read at all, which tells reading
misses from extraction misses, and the misses of each field by cause.

Baseline: the bare ``tesseract IMG stdout --psm 6 -l LANGS`` command (OMP_THREAD_LIMIT=1)
over the same images, as many at a time as ``--workers``, with Clerk's OCR languages
(``CLERK_OCR_LANGUAGES``, default eng+deu+fra); it prints clerk wall / tesseract wall.
The two run one after the other, so load from other processes shifts the ratio: the
machine's load average is printed beside each phase; compare ratios from a quiet machine.

``--errors`` prints, per document, the wrong fields (truth vs prediction) with the type,
the decision and the OCR lines around the truth; ``--json`` writes every figure (and the
per-document scores); ``--dump`` writes one JSON line per document in the shape
``clerk understand`` prints.
"""

from __future__ import annotations

import argparse
import difflib
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

if TYPE_CHECKING:
    from pipeline.understander import Understander

SPLITS: dict[str, range] = {
    "tune": range(100, 200),
    "heldout": range(200, 250),
    "all": range(100, 250),
}
# (key field, Clerk's receipt field, the same field on the other types)
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("company", "merchant_name", ("vendor_name", "payer_name")),
    ("date", "receipt_date", ("issue_date", "order_date", "payment_date")),
    ("total", "total_amount", ()),
)
NAME_RATIO = 0.85
CENT = Decimal("0.01")


# -- the documents ------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    number: int
    image: Path
    key: dict[str, str]
    truth_text: str  # the box file's lines, in file order
    truth_reading: str  # the same in reading order: rows top to bottom, left to right


def default_dir() -> Path:
    return Path(os.environ.get("CLERK_REALDOCS") or REPO.parent / "shared" / "realdocs")


def load_items(root: Path, numbers: Iterable[int]) -> list[Item]:
    items: list[Item] = []
    for number in numbers:
        name = f"{number:03d}"
        image = root / "img" / f"{name}.jpg"
        key_path, box_path = root / "key" / f"{name}.json", root / "box" / f"{name}.csv"
        if not (image.is_file() and key_path.is_file() and box_path.is_file()):
            print(f"item {name}: image, key or box file missing; left out", file=sys.stderr)
            continue
        key = json.loads(key_path.read_text(encoding="utf-8"))
        boxes = read_boxes(box_path)
        file_order = "\n".join(text for *_, text in boxes)
        items.append(Item(number, image, key, file_order, reading_order(boxes)))
    return items


def read_boxes(path: Path) -> list[tuple[int, int, int, str]]:
    """(top, bottom, left, text) of each ``x1,y1,...,x4,y4,text`` line, in file order;
    the text itself may hold commas."""
    boxes: list[tuple[int, int, int, str]] = []
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in handle:
            parts = row.rstrip("\r\n").split(",", 8)
            if len(parts) != 9:
                continue
            try:
                xs, ys = [int(v) for v in parts[0:8:2]], [int(v) for v in parts[1:8:2]]
            except ValueError:
                continue
            boxes.append((min(ys), max(ys), min(xs), parts[8]))
    return boxes


def reading_order(boxes: list[tuple[int, int, int, str]]) -> str:
    """The boxes as rows of text: a box joins the row above when its middle lies within
    half its height of that row's middle. The files list a receipt's labels and amounts
    as separate boxes, often far apart ("TOTAL ITEM", "TOTAL SALES" ... then "22",
    "35.80"), while OCR reads a printed row across; in file order that reads as OCR errors.
    """
    rows: list[tuple[float, list[tuple[int, str]]]] = []
    for top, bottom, left, text in sorted(boxes):
        middle = (top + bottom) / 2
        if rows and abs(middle - rows[-1][0]) <= (bottom - top) / 2:
            rows[-1][1].append((left, text))
        else:
            rows.append((middle, [(left, text)]))
    return "\n".join(" ".join(text for _, text in sorted(row)) for _, row in rows)


# -- running Clerk ------------------------------------------------------------------------


@dataclass
class Result:
    item: Item
    records: list[dict[str, Any]]  # as ``clerk understand`` prints them, one per document
    text: str  # what Clerk read (documents joined by a form feed)
    seconds: float  # read + understand, inside the worker

    @property
    def record(self) -> dict[str, Any]:
        """The document scored: the first one understood, else the first failure."""
        return next((r for r in self.records if "error" not in r), self.records[0])


_worker: Understander | None = None
_worker_error: Exception | None = None


def _init_worker() -> None:
    from clerk.errors import ClerkError
    from pipeline.understander import Understander

    global _worker, _worker_error
    try:
        _worker = Understander.load()
    except ClerkError as exc:  # raised with the first file, so the parent reports it
        _worker_error = exc


def _in_worker(path: Path) -> tuple[list[dict[str, Any]], str, float]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker is not None
    return understand_file(_worker, path)


def understand_file(understander: Understander, path: Path) -> tuple[list[dict], str, float]:
    """``Understander.understand_bytes`` kept to what an image needs, with the text read."""
    from clerk.documents import understanding_to_json
    from clerk.errors import ApplicationError, ClerkError
    from extractors import read_all
    from pipeline.understander import Failure, Outcome

    def internal(name: str, exc: Exception) -> Failure:  # as understand_bytes reports it
        message = f"unexpected {type(exc).__name__} while understanding {name}: {exc}"
        return Failure.of(name, ApplicationError("INTERNAL", message))

    started = time.perf_counter()
    outcomes: list[Outcome] = []
    texts: list[str] = []
    try:
        result = read_all(path.read_bytes(), path.name)
    except ClerkError as exc:
        outcomes.append(Failure.of(path.name, exc))
    except Exception as exc:
        outcomes.append(internal(path.name, exc))
    else:
        outcomes.extend(Failure.of(n, exc) for n, exc in result.failures)
        for document in result.documents:
            texts.append(document.text)
            try:
                image = path.read_bytes() if document.mime.startswith("image/") else None
                outcomes.append(understander.understand(document, image))
            except ClerkError as exc:
                outcomes.append(Failure.of(document.name, exc))
            except Exception as exc:
                outcomes.append(internal(document.name, exc))
    seconds = time.perf_counter() - started
    records: list[dict[str, Any]] = []
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            error = {"type": outcome.type, "code": outcome.code, "message": outcome.message}
            records.append({"file": str(path), "document": outcome.name, "error": error})
        else:
            records.append(
                {
                    "file": str(path),
                    "document": outcome.document_name,
                    **understanding_to_json(outcome),
                }
            )
    return records, "\f".join(texts), seconds


def run_clerk(items: list[Item], workers: int) -> Iterator[Result]:
    paths = [item.image for item in items]
    if workers == 1:
        from pipeline.understander import Understander

        understander = Understander.load()
        outputs: Iterable[tuple[list[dict], str, float]] = (
            understand_file(understander, p) for p in paths
        )
        for item, output in zip(items, outputs, strict=True):
            yield Result(item, *output)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        for item, output in zip(items, pool.map(_in_worker, paths), strict=True):
            yield Result(item, *output)


def run_tesseract(items: list[Item], workers: int, languages: str) -> Baseline:
    """The bare command over every image, ``workers`` at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(item: Item) -> tuple[float, int]:
        command = ["tesseract", str(item.image), "stdout", "--psm", "6", "-l", languages]
        started = time.perf_counter()
        code = subprocess.run(command, capture_output=True, env=env, check=False).returncode
        return time.perf_counter() - started, code

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        runs = list(pool.map(one, items))
    wall = time.perf_counter() - started
    return Baseline(wall, [s for s, _ in runs], sum(1 for _, c in runs if c != 0))


@dataclass(frozen=True)
class Baseline:
    wall: float
    seconds: list[float]  # per image
    failed: int


def load_average() -> str:
    """The machine's 1-minute load: other processes slow both sides of the ratio alike
    only if the load stays the same, so it is printed beside each phase."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


# -- matching -----------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_MONTH_NAME = re.compile(
    r"(?<![A-Z0-9])(\d{1,2})[-/. ]*([A-Z]{3})[A-Z]*\.?[-/., ]*(\d{4}|\d{2})(?!\d)"
)
_DIGITS8 = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")


def _day(year: str, month: int | str, day: str) -> date | None:
    y = int(year)
    if y < 100:
        y += 2000
    try:
        return date(y, int(month), int(day))
    except ValueError:
        return None


def dates_in(text: str) -> Iterator[date]:
    """Every calendar day written in ``text``: ISO / year first, else day first (numbers
    or a month's name), else eight digits DDMMYYYY."""
    upper = text.upper()
    for m in _YEAR_FIRST.finditer(upper):
        if (d := _day(m[1], m[2], m[3])) is not None:
            yield d
    for m in _DAY_FIRST.finditer(upper):
        if (d := _day(m[3], m[2], m[1])) is not None:
            yield d
    for m in _MONTH_NAME.finditer(upper):
        if m[2] in _MONTHS and (d := _day(m[3], _MONTHS[m[2]], m[1])) is not None:
            yield d
    for m in _DIGITS8.finditer(upper):
        if (d := _day(m[3], m[2], m[1])) is not None:
            yield d


def parse_date(text: str | None) -> date | None:
    return next(dates_in(text), None) if text else None


def parse_money(text: str | None) -> Decimal | None:
    if not text:
        return None
    s = re.sub(r"RM|MYR|\s", "", text.upper())
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", s)
    if m is None:
        return None
    number = m[0]
    if "." not in number and re.fullmatch(r"-?\d+,\d{2}", number):
        number = number.replace(",", ".")  # a decimal comma
    try:
        return Decimal(number.replace(",", "")).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def name_key(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", text.upper()).split())


def name_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, name_key(a), name_key(b)).ratio()


def right(key_field: str, truth: str, predicted: str | None) -> bool:
    if predicted is None or not truth:
        return False
    if key_field == "date":
        day = parse_date(truth)
        return day is not None and parse_date(predicted) == day
    if key_field == "total":
        amount = parse_money(truth)
        return amount is not None and parse_money(predicted) == amount
    return name_ratio(truth, predicted) >= NAME_RATIO


def predicted(record: dict[str, Any], names: Iterable[str]) -> tuple[str | None, dict | None]:
    """The prediction of the first of ``names`` the record has: value (an amount's
    ``amount``) else raw; and the field itself."""
    by_name = {f["name"]: f for f in record.get("fields", ())}
    for correction in record.get("corrections", ()):
        by_name[correction["name"]] = correction
    for name in names:
        f = by_name.get(name)
        if f is None:
            continue
        value = f.get("value")
        if isinstance(value, dict):
            value = value.get("amount")
        if value in (None, ""):
            value = f.get("raw")
        return (None if value in (None, "") else str(value)), f
    return None, None


# -- OCR figures --------------------------------------------------------------------------


def ocr_norm(text: str) -> str:
    return " ".join(text.upper().split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance, two rows of the O(len(a) * len(b)) table (common ends trimmed)."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    end = 0
    while end < len(a) and end < len(b) and a[-1 - end] == b[-1 - end]:
        end += 1
    if end:
        a, b = a[:-end], b[:-end]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        append = current.append
        left = i
        for j, cb in enumerate(b, start=1):
            left = min(previous[j] + 1, left + 1, previous[j - 1] + (ca != cb))
            append(left)
        previous = current
    return previous[-1]


try:
    from rapidfuzz.distance import Levenshtein as _Rapid

    def edit_distance(a: str, b: str) -> int:
        return int(_Rapid.distance(a, b))

    EDIT_DISTANCE = "rapidfuzz"
except ImportError:
    edit_distance = levenshtein
    EDIT_DISTANCE = "pure Python"


def amount_in_text(amount: Decimal | None, text: str) -> bool:
    if amount is None:
        return False
    forms = {f"{amount:.2f}", f"{amount:,.2f}"}
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}(?!\d)", text) for f in forms)


def name_in_text(name: str, text: str) -> bool:
    key = name_key(name)
    return bool(key) and f" {key} " in f" {name_key(text)} "


def date_in_text(day: date | None, text: str) -> bool:
    return day is not None and day in set(dates_in(text))


# -- scoring ------------------------------------------------------------------------------


@dataclass
class Scored:
    number: int
    doc_type: str  # "<failed>" when no document was understood
    decision: str
    failure: str | None
    truth: dict[str, str]
    predictions: dict[str, str | None]
    hits: dict[str, bool]
    any_type_hits: dict[str, bool]
    in_text: dict[str, bool]
    distance: int
    truth_chars: int
    distance_reading: int  # against the truth in reading order
    truth_chars_reading: int
    seconds: float
    confidences: dict[str, float | None] = field(default_factory=dict)


def score(result: Result) -> Scored:
    record = result.record
    failure = record["error"]["code"] if "error" in record else None
    truth = {k: str(result.item.key.get(k, "")) for k, _, _ in FIELDS}
    predictions: dict[str, str | None] = {}
    confidences: dict[str, float | None] = {}
    hits: dict[str, bool] = {}
    any_type_hits: dict[str, bool] = {}
    for key_field, name, others in FIELDS:
        value, f = predicted(record, [name])
        predictions[key_field] = value
        confidences[key_field] = f.get("confidence") if f else None
        hits[key_field] = right(key_field, truth[key_field], value)
        any_value, _ = predicted(record, [name, *others])
        any_type_hits[key_field] = right(key_field, truth[key_field], any_value)
    text = result.text
    in_text = {
        "company": name_in_text(truth["company"], text),
        "date": date_in_text(parse_date(truth["date"]), text),
        "total": amount_in_text(parse_money(truth["total"]), text.upper()),
    }
    read, expected = ocr_norm(text), ocr_norm(result.item.truth_text)
    expected_reading = ocr_norm(result.item.truth_reading)
    return Scored(
        number=result.item.number,
        doc_type=record.get("doc_type", "<failed>"),
        decision=record.get("decision", "<failed>"),
        failure=failure,
        truth=truth,
        predictions=predictions,
        hits=hits,
        any_type_hits=any_type_hits,
        in_text=in_text,
        distance=edit_distance(read, expected),
        truth_chars=len(expected),
        distance_reading=edit_distance(read, expected_reading),
        truth_chars_reading=len(expected_reading),
        seconds=result.seconds,
        confidences=confidences,
    )


def _pct(n: int, total: int) -> str:
    return f"{n:>4}/{total:<4} {100 * n / total if total else float('nan'):6.1f}%"


def _percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def figures(
    scored: list[Scored],
    clerk_wall: float,
    tesseract: Baseline | None,
    languages: str,
    workers: int,
    loads: dict[str, str],
) -> dict[str, Any]:
    n = len(scored)
    receipts = sum(s.doc_type == "receipt" for s in scored)
    per_field = {k: sum(s.hits[k] for s in scored) for k, _, _ in FIELDS}
    any_type = {k: sum(s.any_type_hits[k] for s in scored) for k, _, _ in FIELDS}
    in_text = {k: sum(s.in_text[k] for s in scored) for k, _, _ in FIELDS}
    auto = [s for s in scored if s.decision == "auto"]
    auto_wrong = [s for s in auto if s.doc_type != "receipt" or not all(s.hits.values())]
    auto_right_fields = sum(sum(s.hits.values()) for s in auto)
    seconds = [s.seconds for s in scored]
    distance, chars = sum(s.distance for s in scored), sum(s.truth_chars for s in scored)
    distance_reading = sum(s.distance_reading for s in scored)
    chars_reading = sum(s.truth_chars_reading for s in scored)
    # Misses split by cause: the value is not in the text at all (reading), it is there but
    # the field is wrong or missing (extraction), among documents typed receipt or not.
    causes = {
        k: {
            "right": per_field[k],
            "not_in_text": sum(not s.hits[k] and not s.in_text[k] for s in scored),
            "in_text_wrong_type": sum(
                not s.hits[k] and s.in_text[k] and s.doc_type != "receipt" for s in scored
            ),
            "in_text_typed_receipt": sum(
                not s.hits[k] and s.in_text[k] and s.doc_type == "receipt" for s in scored
            ),
        }
        for k, _, _ in FIELDS
    }
    out: dict[str, Any] = {
        "documents": n,
        "typed_receipt": receipts,
        "doc_types": dict(Counter(s.doc_type for s in scored).most_common()),
        "fields_right": per_field,
        "fields_right_any_type": any_type,
        "key_fields_right": sum(per_field.values()),
        "key_fields_total": 3 * n,
        "auto": len(auto),
        "auto_rate": len(auto) / n if n else None,
        "auto_wrong": len(auto_wrong),
        "auto_wrong_items": [s.number for s in auto_wrong],
        "auto_fields": 3 * len(auto),
        "auto_fields_right": auto_right_fields,
        "auto_precision": auto_right_fields / (3 * len(auto)) if auto else None,
        "ocr_cer": distance / chars if chars else None,
        "ocr_edit_distance": distance,
        "ocr_truth_chars": chars,
        "ocr_cer_reading_order": distance_reading / chars_reading if chars_reading else None,
        "in_text": in_text,
        "miss_causes": causes,
        "workers": workers,
        "clerk_wall_s": clerk_wall,
        "per_doc_s": {
            "mean": statistics.fmean(seconds) if seconds else None,
            "p50": _percentile(seconds, 0.5),
            "p95": _percentile(seconds, 0.95),
        },
        "tesseract_languages": languages,
        "tesseract_wall_s": tesseract.wall if tesseract else None,
        "tesseract_per_doc_s": {
            "mean": statistics.fmean(tesseract.seconds),
            "p50": _percentile(tesseract.seconds, 0.5),
            "p95": _percentile(tesseract.seconds, 0.95),
        }
        if tesseract and tesseract.seconds
        else None,
        "tesseract_failed": tesseract.failed if tesseract else None,
        "ratio_clerk_tesseract": clerk_wall / tesseract.wall if tesseract else None,
        "load_average": loads,
        "failures": dict(Counter(s.failure for s in scored if s.failure)),
    }
    out["per_document"] = [
        {
            "item": s.number,
            "doc_type": s.doc_type,
            "decision": s.decision,
            "failure": s.failure,
            "truth": s.truth,
            "predicted": s.predictions,
            "right": s.hits,
            "in_text": s.in_text,
            "cer": s.distance / s.truth_chars if s.truth_chars else None,
            "seconds": s.seconds,
        }
        for s in scored
    ]
    return out


def print_table(title: str, f: dict[str, Any]) -> None:
    n = f["documents"]
    print(f"\n== {title} ==")
    print(f"documents                       {n}")
    print(f"typed receipt                   {_pct(f['typed_receipt'], n)}")
    types = ", ".join(f"{k} {v}" for k, v in f["doc_types"].items())
    print(f"  types                         {types}")
    print("fields right (typed receipt's field; in brackets: any type's same field)")
    for key_field, name, _ in FIELDS:
        label = f"  {name} ({key_field})"
        extra = f"[{f['fields_right_any_type'][key_field]}]"
        print(f"{label:<32}{_pct(f['fields_right'][key_field], n)}  {extra}")
    total = f["key_fields_total"]
    print(f"  {'key fields overall':<30}{_pct(f['key_fields_right'], total)}")
    print(f"decided auto                    {_pct(f['auto'], n)}")
    wrong = ", ".join(str(i) for i in f["auto_wrong_items"])
    print(f"  auto with a wrong field/type  {f['auto_wrong']}{f' ({wrong})' if wrong else ''}")
    if f["auto"]:
        print(f"  field precision in auto       {_pct(f['auto_fields_right'], f['auto_fields'])}")
    else:
        print("  field precision in auto       - (no auto documents)")
    cer = f["ocr_cer"]
    print(
        f"OCR character error rate        {cer:.3f}  "
        f"({f['ocr_edit_distance']} edits / {f['ocr_truth_chars']} truth chars, {EDIT_DISTANCE})"
    )
    print(f"  CER, truth in reading order   {f['ocr_cer_reading_order']:.3f}")
    for key_field, label in (("total", "true total"), ("company", "true company")):
        print(f"  {label + ' in OCR text':<30}{_pct(f['in_text'][key_field], n)}")
    print(f"  {'true date in OCR text':<30}{_pct(f['in_text']['date'], n)}")
    print("misses by cause (not in OCR text / in text, typed other / in text, typed receipt)")
    for key_field, name, _ in FIELDS:
        c = f["miss_causes"][key_field]
        print(
            f"  {name:<30}{c['not_in_text']:>4} / {c['in_text_wrong_type']:>4} / "
            f"{c['in_text_typed_receipt']:>4}"
        )
    per_doc = f["per_doc_s"]
    loads = ", ".join(f"{k} {v}" for k, v in f["load_average"].items())
    print(f"time, {f['workers']} worker(s); machine load (1 min) {loads}")
    print(f"  clerk wall                    {f['clerk_wall_s']:8.1f} s")
    print(
        f"  per document (in worker)      mean {per_doc['mean']:.2f} s, "
        f"p50 {per_doc['p50']:.2f} s, p95 {per_doc['p95']:.2f} s"
    )
    if f["tesseract_wall_s"] is not None:
        failed = f" ({f['tesseract_failed']} failed)" if f["tesseract_failed"] else ""
        bare = f["tesseract_per_doc_s"]
        print(
            f"  bare tesseract wall           {f['tesseract_wall_s']:8.1f} s"
            f"  (--psm 6 -l {f['tesseract_languages']}, Clerk's OCR languages){failed}"
        )
        print(
            f"  bare tesseract per document   mean {bare['mean']:.2f} s, "
            f"p50 {bare['p50']:.2f} s, p95 {bare['p95']:.2f} s"
        )
        print(f"  ratio clerk / tesseract       {f['ratio_clerk_tesseract']:8.3f}x")
    else:
        print("  bare tesseract                skipped")
    failures = ", ".join(f"{k} {v}" for k, v in sorted(f["failures"].items())) or "none"
    print(f"failures                        {failures}")


def print_errors(scored: list[Scored], texts: dict[int, str]) -> None:
    print("\n== wrong fields per document ==")
    for s in scored:
        wrong = [(k, name) for k, name, _ in FIELDS if not s.hits[k]]
        if not wrong and s.doc_type == "receipt":
            continue
        head = f"{s.number}: type {s.doc_type}, decision {s.decision}"
        print(head + (f", failed {s.failure}" if s.failure else ""))
        lines = [line for line in texts.get(s.number, "").splitlines() if line.strip()]
        for key_field, name in wrong:
            confidence = s.confidences.get(key_field)
            shown = f" (conf {confidence:.3f})" if isinstance(confidence, float) else ""
            print(
                f"  {name:<14} truth {s.truth[key_field]!r:<44} "
                f"predicted {s.predictions[key_field]!r}{shown}  "
                f"[{'in' if s.in_text[key_field] else 'NOT in'} OCR text]"
            )
            for line in _context(key_field, s.truth[key_field], lines):
                print(f"      | {line}")


def _context(key_field: str, truth: str, lines: list[str]) -> list[str]:
    """The OCR lines where the value is, or should be (at most three)."""
    if key_field == "company":
        best = max(lines, key=lambda line: name_ratio(truth, line), default=None)
        top = lines[:2]
        return top + ([best] if best is not None and best not in top else [])
    if key_field == "date":
        day = parse_date(truth)
        hits = [line for line in lines if day is not None and day in set(dates_in(line))]
        hits = hits or [line for line in lines if re.search(r"DATE|\d{1,2}[/.-]\d", line.upper())]
        return hits[:3]
    amount = parse_money(truth)
    hits = [line for line in lines if amount_in_text(amount, line.upper())]
    hits = hits or [line for line in lines if "TOTAL" in line.upper()]
    return hits[:3]


# -- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the real documents (default: $CLERK_REALDOCS, else <repo>/../shared/realdocs)",
    )
    parser.add_argument("--split", choices=sorted(SPLITS), default="heldout")
    parser.add_argument("--items", type=int, nargs="+", help="these item numbers instead")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--workers", type=int, default=2, help="parallel processes")
    parser.add_argument("--skip-baseline", action="store_true", help="no bare tesseract run")
    parser.add_argument("--errors", action="store_true", help="print the wrong fields")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--dump", type=Path, help="write `clerk understand` JSON Lines here")
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")

    root = (args.dir or default_dir()).resolve()
    receipts = root / "sroie"
    if not (receipts / "img").is_dir():
        print(f"real documents not found at {root}; skipped")
        return
    numbers = args.items or list(SPLITS[args.split])
    items = load_items(receipts, numbers)[: args.limit]
    if not items:
        print(f"no items of {numbers[0]}..{numbers[-1]} under {receipts}; skipped")
        return

    from clerk.errors import ClerkError
    from extractors.reading.settings import ReadingSettings

    languages = ReadingSettings().ocr_languages
    split = "items " + " ".join(map(str, args.items)) if args.items else f"split {args.split}"
    print(f"{len(items)} receipts from {receipts} ({split}), {args.workers} worker(s)")

    loads = {"before clerk": load_average()}
    started = time.perf_counter()
    results: list[Result] = []
    try:
        for result in run_clerk(items, args.workers):
            results.append(result)
            print(f"\r  understood {len(results)}/{len(items)}", end="", file=sys.stderr)
    except ClerkError as exc:
        print(f"\n{exc.code}: {exc.message}", file=sys.stderr)
        sys.exit(1)
    clerk_wall = time.perf_counter() - started
    print(file=sys.stderr)
    if results and "error" not in results[0].record:
        print(f"models: {results[0].record.get('model_versions')}")

    tesseract = None
    if not args.skip_baseline:
        loads["before tesseract"] = load_average()
        tesseract = run_tesseract(items, args.workers, languages)
    loads["at the end"] = load_average()

    scored = [score(r) for r in results]
    out = figures(scored, clerk_wall, tesseract, languages, args.workers, loads)
    out["split"] = args.split if not args.items else "items"
    out["items"] = [i.number for i in items]
    print_table(f"real receipts (SROIE), {split}: {len(items)} documents", out)
    if args.errors:
        print_errors(scored, {r.item.number: r.text for r in results})
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as handle:
            for r in results:
                for record in r.records:
                    handle.write(json.dumps(record) + "\n")
        print(f"clerk understand records written to {args.dump}")


if __name__ == "__main__":
    main()
