"""Console timings: opening the review screen, and the review queue with 10,000 failures.

    .venv/bin/python bench/bench_console.py [--items 10000] [--repeat 15]

Everything runs in-process against a fresh SQLite database in a temp CLERK_HOME,
through FastAPI's TestClient (the full ASGI stack: session lookup, queries, templates;
no network). Printed:

- review screen of a 3-page scanned (image-only) PDF: server render of the page plus
  the first page image rendered cold (render cache emptied each time), and warm;
- the review station's screen of a scanned invoice of 40 lines (the browser tests'
  ``tests/e2e/console/scanned_invoice.py``): server render and HTML size, against the
  3-page scan's screen;
- queue page (page 1, a deep page, a filtered page) and the dashboard with ``--items``
  FAILED items inserted in bulk, against the queue page with 100 items as the
  baseline: the ratio shows how the page scales with the queue's length.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _median_ms(
    action: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-console-"))
    os.environ["CLERK_HOME"] = str(home)
    os.environ["CLERK_MODELS_DIR"] = str(home / "models")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from controlroom.api._app import create_app
    from controlroom.console import _page_images as page_images
    from controlroom.db import transaction
    from controlroom.services import users
    from controlroom.services.processes import ensure_workspace
    from controlroom.settings import ControlRoomSettings
    from tests.unit.controlroom.console.support import (
        PASSWORD,
        bulk_failed_items,
        fail_for_review,
        login,
        make_process,
    )

    settings = ControlRoomSettings(
        database_url=f"sqlite:///{home / 'cr.db'}", files_dir=home / "files"
    )
    app = create_app(settings, background=False)
    factory = app.state.sessionmaker
    with transaction(factory) as session:
        ws = ensure_workspace(session, settings.workspace).id
        users.create_user(session, "bench", PASSWORD, "reviewer", actor="bench")
    process_id = make_process(factory, settings.workspace)
    client = TestClient(app, base_url="http://127.0.0.1")
    assert login(client, "bench").status_code == 303

    # Review screen: a 3-page scanned document.
    _, item_id = fail_for_review(
        factory, client, process_id, ws, pages=3, scanned=True, name="scan.pdf"
    )
    screen = f"/console/items/{item_id}"
    image = f"/console/items/{item_id}/pages/1.png"

    def open_screen() -> None:
        assert client.get(screen).status_code == 200
        assert client.get(image).status_code == 200

    client.get(screen)  # compile templates once
    render_ms = _median_ms(lambda: client.get(screen), args.repeat)
    cold_ms = _median_ms(open_screen, args.repeat, before=page_images._cache.clear)
    warm_ms = _median_ms(open_screen, args.repeat)

    # The review station: a scanned invoice of 40 lines (rows, grouped fields, reasons).
    from tests.e2e.console.scanned_invoice import build

    _, lines_id = fail_for_review(
        factory, client, process_id, ws, name="scan_invoice_40_lines.pdf", made=build()
    )
    station = f"/console/items/{lines_id}"
    station_html = client.get(station).content
    station_ms = _median_ms(lambda: client.get(station), args.repeat)

    # Queue: baseline with 100 items, then the full size.
    bulk_failed_items(factory, ws, process_id, 100 - 2)
    baseline_ms = _median_ms(lambda: client.get("/console/review"), args.repeat)
    started = time.perf_counter()
    bulk_failed_items(factory, ws, process_id, args.items - 100)
    insert_s = time.perf_counter() - started
    first = client.get("/console/review")
    assert f"{args.items} failed items waiting" in first.text, "queue count mismatch"
    page1_ms = _median_ms(lambda: client.get("/console/review"), args.repeat)
    last_page = (args.items + 49) // 50
    deep_ms = _median_ms(lambda: client.get(f"/console/review?page={last_page}"), args.repeat)
    dashboard_ms = _median_ms(lambda: client.get("/console/"), args.repeat)
    filtered_ms = _median_ms(
        lambda: client.get("/console/review?type=APPLICATION&sort=oldest&page=10"), args.repeat
    )

    print(
        f"review screen, 3-page scanned PDF: page render {render_ms:.1f} ms; "
        f"open (page + first page image) cold {cold_ms:.1f} ms, warm {warm_ms:.1f} ms"
    )
    print(
        f"review station, scanned invoice of 40 lines: page render {station_ms:.1f} ms, "
        f"{len(station_html) / 1024:.0f} KiB of HTML; ratio to the 3-page scan's screen "
        f"{station_ms / render_ms:.2f}x"
    )
    print(
        f"queue with {args.items} failed items (bulk insert {insert_s:.2f} s): "
        f"page 1 {page1_ms:.1f} ms, page {last_page} {deep_ms:.1f} ms, "
        f"filtered {filtered_ms:.1f} ms"
    )
    print(f"dashboard with {args.items + 1} items updated in the last day: {dashboard_ms:.1f} ms")
    print(
        f"baseline queue with 100 items: page 1 {baseline_ms:.1f} ms; "
        f"ratio {args.items} / 100 items = {page1_ms / baseline_ms:.2f}x"
    )
    app.state.engine.dispose()


if __name__ == "__main__":
    main()
