"""Instant learning on real receipts: what one reviewer's confirmation of a merchant's
first receipt does for that merchant's next ones (the vendor memory).

    .venv/bin/python bench/bench_learning.py [--dir PATH] [--limit N] [--workers 2]
        [--cache DIR]

The receipts are SROIE's (``bench/bench_realdocs.py`` says where they live and how they
are scored; its loading and matching rules are reused here). When absent, the bench says
so and exits 0. Receipts are grouped by merchant (the key's company, normalized as the
scorer does). For every merchant with two receipts or more, a simulated reviewer
confirms the first (lowest number) with its true company, date and total, through
``services.vendor_memory.teach_document``, the function ``clerk corrections add`` calls,
into a temporary Control Room database. Then every other receipt is understood before
(no memory) and after (the database's memory, as ``clerk understand`` reads it):

- *taught merchants, later receipts*: fields right, receipts sent ``auto``, and ``auto``
  with a field wrong (that must stay 0);
- *merchants never taught*: the same figures, to show nothing else got worse.

Each image is read (OCR) once per run, in ``--workers`` processes; ``--cache DIR`` keeps
the read documents between runs (pickles keyed by the image's sha256). ``--limit N``
takes the first N receipts only (fewer merchants repeat then).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench.bench_realdocs import (  # noqa: E402
    FIELDS,
    SPLITS,
    Item,
    default_dir,
    load_items,
    name_key,
    predicted,
    right,
)

if TYPE_CHECKING:
    from clerk.documents import Document, Understanding
    from extractors.memory import MemorySource
    from pipeline.understander import Understander

TRUTH_FIELD = {"company": "merchant_name", "date": "receipt_date", "total": "total_amount"}


# -- reading, once per image ----------------------------------------------------------------


def _read(args: tuple[Path, Path | None]) -> Document | None:
    from extractors import read_all

    image, cache = args
    data = image.read_bytes()
    cached = cache / f"{hashlib.sha256(data).hexdigest()}.pickle" if cache else None
    if cached is not None and cached.is_file():
        return pickle.loads(cached.read_bytes())  # our own cache, written above
    try:
        documents = read_all(data, image.name).documents
    except Exception as exc:  # an unreadable image is one miss, not the end of the bench
        print(f"\n{image.name}: {exc}", file=sys.stderr)
        return None
    document = documents[0] if documents else None
    if cached is not None and document is not None:
        cached.write_bytes(pickle.dumps(document))
    return document


def read_documents(items: list[Item], cache: Path, workers: int) -> dict[int, Document]:
    jobs = [(item.image, cache) for item in items]
    context = multiprocessing.get_context("fork")
    out: dict[int, Document] = {}
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for done, (item, document) in enumerate(
            zip(items, pool.map(_read, jobs), strict=True), start=1
        ):
            print(f"\r  read {done}/{len(items)}", end="", file=sys.stderr)
            if document is not None:
                out[item.number] = document
    print(file=sys.stderr)
    return out


# -- understanding, before and after ---------------------------------------------------------

_understander: Understander | None = None
_memory: MemorySource | None = None


def _init() -> None:
    from pipeline.understander import Understander

    global _understander
    _understander = Understander.load(memory=_memory)


def _understand(job: tuple[Document, Path]) -> Understanding | None:
    document, image = job
    assert _understander is not None
    try:
        return _understander.understand(document, image.read_bytes())
    except Exception as exc:  # as understand_bytes would: a failure, and the bench goes on
        print(f"\n{document.name}: {exc}", file=sys.stderr)
        return None


def understand_all(
    items: list[Item], documents: dict[int, Document], memory: MemorySource | None, workers: int
) -> dict[int, Understanding | None]:
    global _memory
    _memory = memory
    todo = [i for i in items if i.number in documents]
    jobs = [(documents[i.number], i.image) for i in todo]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init) as pool:
        return dict(zip((i.number for i in todo), pool.map(_understand, jobs), strict=True))


# -- scoring --------------------------------------------------------------------------------


@dataclass
class Tally:
    documents: int = 0
    fields: int = 0
    right: int = 0
    auto: int = 0
    auto_wrong: int = 0
    by_field: dict[str, int] = field(default_factory=dict)

    def add(self, item: Item, understanding: Understanding | None) -> None:
        from clerk.documents import understanding_to_json

        self.documents += 1
        self.fields += len(FIELDS)
        if understanding is None:
            return
        record = understanding_to_json(understanding)
        hits = 0
        for key_field, name, _ in FIELDS:
            value, _ = predicted(record, [name])
            hit = right(key_field, str(item.key.get(key_field, "")), value)
            self.by_field[key_field] = self.by_field.get(key_field, 0) + hit
            hits += hit
        self.right += hits
        if understanding.decision == "auto":
            self.auto += 1
            self.auto_wrong += hits < len(FIELDS)


def _pct(n: int, total: int) -> str:
    return f"{n:>4}/{total:<4} {100 * n / total if total else 0:5.1f}%"


def print_table(rows: list[tuple[str, Tally, Tally]]) -> None:
    print(f"\n{'':<34} {'before':>17} {'after':>17}")
    for title, before, after in rows:
        print(f"{title} ({before.documents} receipts)")
        print(f"  {'fields right':<32} {_pct(before.right, before.fields)} "
              f"{_pct(after.right, after.fields)}")  # fmt: skip
        for key_field, _, _ in FIELDS:
            was, now = before.by_field.get(key_field, 0), after.by_field.get(key_field, 0)
            label = f"{key_field} right"
            print(f"    {label:<30} {_pct(was, before.documents)} {_pct(now, after.documents)}")
        print(f"  {'went auto':<32} {_pct(before.auto, before.documents)} "
              f"{_pct(after.auto, after.documents)}")  # fmt: skip
        print(f"  {'auto with a field wrong':<32} {before.auto_wrong:>16} {after.auto_wrong:>17}")


# -- the run --------------------------------------------------------------------------------


def teach_first(
    groups: dict[str, list[Item]],
    documents: dict[int, Document],
    before: dict[int, Understanding | None],
    database_url: str,
) -> tuple[int, list[str]]:
    """Confirm each merchant's first receipt with its truth; (taught, refusals)."""
    from controlroom import db
    from controlroom.services import vendor_memory
    from controlroom.services.errors import ServiceError
    from controlroom.services.processes import ensure_workspace

    engine = db.make_engine(database_url)
    db.upgrade(engine)
    factory = db.make_sessionmaker(engine)
    taught, refused = 0, []
    for merchant, items in groups.items():
        first = items[0]
        understanding = before.get(first.number)
        if first.number not in documents or understanding is None:
            refused.append(f"{first.number}: not read")
            continue
        values = {TRUTH_FIELD[k]: str(first.key.get(k, "")) for k in TRUTH_FIELD}
        try:
            with db.transaction(factory) as session:
                ws = ensure_workspace(session, "default").id
                vendor_memory.teach_document(
                    session, ws, documents[first.number], understanding, "receipt",
                    {k: v for k, v in values.items() if v}, actor="bench:reviewer", role="reviewer",
                )  # fmt: skip
            taught += 1
        except ServiceError as exc:
            refused.append(f"{first.number} ({merchant[:24]}): {exc.code}")
    engine.dispose()
    return taught, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="the real documents (as bench_realdocs)")
    parser.add_argument("--limit", type=int, help="only the first N receipts")
    parser.add_argument("--workers", type=int, default=2, help="parallel processes")
    parser.add_argument("--cache", type=Path, help="keep the read documents here")
    args = parser.parse_args()
    root = (args.dir or default_dir()).resolve() / "sroie"
    if not (root / "img").is_dir():
        print(f"real documents not found at {root}; skipped")
        return
    items = load_items(root, SPLITS["all"])[: args.limit]
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[name_key(str(item.key.get("company", "")))].append(item)
    repeated = {m: g for m, g in groups.items() if len(g) > 1}
    later = [i for g in repeated.values() for i in g[1:]]
    never = [i for g in groups.values() if len(g) == 1 for i in g]
    print(
        f"{len(items)} receipts, {len(groups)} merchants; {len(repeated)} with 2+ receipts "
        f"(taught), {len(later)} later receipts of theirs; {len(never)} never taught"
    )

    with tempfile.TemporaryDirectory(prefix="clerk-bench-learning-") as scratch:
        cache = args.cache or Path(scratch) / "documents"
        cache.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        documents = read_documents(items, cache, args.workers)
        print(f"read {len(documents)} receipts in {time.perf_counter() - started:.0f} s")
        measured = [*(g[0] for g in repeated.values()), *later, *never]
        before = understand_all(measured, documents, None, args.workers)
        url = f"sqlite:///{Path(scratch) / 'controlroom.db'}"
        taught, refused = teach_first(repeated, documents, before, url)
        print(f"taught {taught} merchants; refused: {len(refused)}")
        for line in refused:
            print(f"  {line}")
        from controlroom.services.vendor_memory import DatabaseMemory
        from controlroom.settings import ControlRoomSettings

        memory = DatabaseMemory.load(url, ControlRoomSettings(database_url=url).workspace)
        after = understand_all([*later, *never], documents, memory, args.workers)

    rows = []
    for title, group in (("taught merchants, later receipts", later),
                         ("merchants never taught", never)):  # fmt: skip
        b, a = Tally(), Tally()
        for item in group:
            b.add(item, before.get(item.number))
            a.add(item, after.get(item.number))
        rows.append((title, b, a))
    print_table(rows)


if __name__ == "__main__":
    main()
