"""Scrubbing secrets out of logs and artifacts; escaping logged values."""

from __future__ import annotations

import io
import logging
import secrets

from clerk.redact import MASK, EscapingFormatter, escape, scrub, scrub_text

TOKEN = "clerk_" + secrets.token_urlsafe(32)


def test_tokens_and_authorization_credentials_are_masked_in_every_form() -> None:
    forms = [
        f"Authorization: Bearer {TOKEN}",
        f"{{'Authorization': 'Bearer {TOKEN}', 'Content-Type': 'application/json'}}",
        '{"authorization": "Basic dXNlcjpwYXNzd29yZA=="}',
        f'M a:"{{\\"Authorization\\": \\"Bearer {TOKEN}\\"}}"',
        f"token={TOKEN}&x=1",
        "authorization=Token s3cr3t-value;",
    ]
    for text in forms:
        scrubbed = scrub_text(text)
        assert TOKEN not in scrubbed and "dXNlcjpwYXNzd29yZA" not in scrubbed, scrubbed
        assert "s3cr3t-value" not in scrubbed and MASK in scrubbed, scrubbed
    assert scrub_text(f"{{'Authorization': 'Bearer {TOKEN}', 'Content-Type': 'x'}}") == (
        f"{{'Authorization': 'Bearer {MASK}', 'Content-Type': 'x'}}"
    )


def test_known_secrets_are_masked_and_ordinary_text_and_bytes_are_kept() -> None:
    assert scrub(b"key=hunter2hunter2 ok", ["hunter2hunter2"]) == f"key={MASK} ok".encode()
    assert scrub(b"a short pw", ["pw"]) == b"a short pw"  # too short to be told from words
    ordinary = b"clerk_home is set; the authorization step passed\n\x00\xff\x89PNG"
    assert scrub(ordinary) == ordinary


def test_escape_turns_control_characters_into_escapes() -> None:
    assert escape("/api/v1/x\n2026-01-01 INFO forged") == "/api/v1/x\\n2026-01-01 INFO forged"
    assert escape("a\rb\x1b[31mc\u2028d\te") == "a\\rb\\x1b[31mc\\u2028d\\te"
    assert escape("plain / päth") == "plain / päth"


def test_formatter_keeps_every_record_on_its_own_lines() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(EscapingFormatter("%(levelname)s %(who)s %(message)s"))
    log = logging.getLogger("clerk.test_redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("path %s", "/x\nINFO forged", extra={"who": "me\nINFO forged"})
        try:
            raise ValueError("bad\nINFO forged")
        except ValueError:
            log.exception("failed", extra={"who": "me"})
    finally:
        log.removeHandler(handler)
        log.propagate = True
    lines = out.getvalue().splitlines()
    assert lines[0] == "WARNING me\\nINFO forged path /x\\nINFO forged"
    assert lines[1:3] == ["ERROR me failed", "Traceback (most recent call last):"]
    assert not any(line.startswith("INFO") for line in lines), lines
    assert all(line.startswith("  | ") for line in lines[3:]), lines


def test_a_gzipped_artifact_is_scrubbed_inside_and_a_bomb_or_garbage_is_not_kept() -> None:
    import gzip

    from clerk.redact import MASK, scrub_artifact

    token = "clerk_" + "s" * 43
    packed = gzip.compress(f"Authorization: Bearer {token}\nok\n".encode(), mtime=0)
    cleaned = gzip.decompress(scrub_artifact("log.html.gz", packed, 1000))
    assert token.encode() not in cleaned and MASK.encode() in cleaned and b"ok" in cleaned
    assert token.encode() not in scrub_artifact("log.html", packed, 1000)  # not opened: as is
    bomb = gzip.compress(b"0" * 10_000, mtime=0)
    assert scrub_artifact("big.log.gz", bomb, 1000) == MASK.encode()
    assert scrub_artifact("bad.log.gz", b"not gzip at all", 1000) == MASK.encode()
    assert scrub_artifact("two.log.gz", packed + packed, 1000) == MASK.encode()


def test_the_log_robocorps_log_html_packs_inside_is_scrubbed() -> None:
    import ast
    import base64
    import zlib

    from clerk.redact import MASK, scrub_file

    token = "clerk_" + "h" * 43
    packed = base64.b64encode(zlib.compress(f"Authorization: Bearer {token}\n".encode()))
    html = b"<script>let chunks = ['" + packed + b"'];\nshow(chunks)</script>"
    assert token.encode() not in html  # as text, no scrubber sees it
    out = scrub_file("log.html", html)
    start = out.index(b"let chunks = [") + len(b"let chunks = ")
    (chunk,) = ast.literal_eval(out[start : out.index(b"];", start) + 1].decode())
    inside = zlib.decompress(base64.b64decode(chunk))
    assert token.encode() not in inside and MASK.encode() in inside
    assert out.endswith(b"];\nshow(chunks)</script>")
    broken = b"<script>let chunks = ['not base64 or zlib'];</script>"
    assert scrub_file("log.html", broken) == MASK.encode()  # cannot be checked: not kept
    assert scrub_file("notes.html", broken) == broken  # only robocorp's log.html packs
