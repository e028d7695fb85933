"""What the worker uploads of a robot's artifacts folder: log.html gzipped, the robolog
parts it repeats left out (the newest kept when there is no log.html), other files as
they are."""

from __future__ import annotations

import gzip
from pathlib import Path

from controlroom.worker._artifacts import kept_files, packed, uploads

HTML = b"<html>" + b"log viewer " * 2000 + b"</html>"


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "artifacts"
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(HTML if name.endswith(".html") else f"{name} ".encode() * 500)
    return folder


def test_log_html_goes_up_gzipped_without_the_parts_it_repeats(tmp_path: Path) -> None:
    parts = ["output.robolog", "output_2.robolog", "output_3.robolog"]
    folder = _folder(tmp_path, ["log.html", *parts, "shots/a.png"])
    sent = dict(uploads(folder))
    assert sorted(sent) == ["log.html.gz", "shots/a.png"]
    assert gzip.decompress(sent["log.html.gz"]) == HTML
    assert len(sent["log.html.gz"]) < len(HTML) / 10
    assert sent["shots/a.png"] == (folder / "shots" / "a.png").read_bytes()


def test_without_log_html_the_newest_part_is_kept(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["output.robolog", "output_2.robolog", "output_10.robolog"])
    assert [p.name for p in kept_files(folder)] == ["output_10.robolog"]


def test_small_files_and_binary_files_go_as_they_are(tmp_path: Path) -> None:
    small = tmp_path / "note.txt"
    small.write_bytes(b"short")
    assert packed(small, "note.txt") == ("note.txt", b"short")
    trace = tmp_path / "trace.zip"
    trace.write_bytes(b"z" * 5000)
    assert packed(trace, "trace.zip") == ("trace.zip", b"z" * 5000)


def test_packing_the_same_file_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["log.html"])
    assert packed(folder / "log.html", "log.html") == packed(folder / "log.html", "log.html")


def test_secrets_are_scrubbed_before_the_text_is_packed(tmp_path: Path) -> None:
    import gzip

    from controlroom.worker._artifacts import uploads

    secret = "vault-key-" + "k" * 30
    (tmp_path / "log.html").write_text(f"<p>{secret}</p>" + "x" * 2000)
    ((name, data),) = list(uploads(tmp_path, [secret]))
    assert name == "log.html.gz"
    assert secret.encode() not in gzip.decompress(data)
