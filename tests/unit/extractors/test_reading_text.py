"""Plain text, the size limits and content types Clerk does not read."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from clerk.errors import BusinessError
from extractors import ReadingSettings, read, read_path

TEXT = "Rechnung Nr. 17\nGrüße aus Köln – Summe 12,50 €\n"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (TEXT.encode("utf-16"), "utf-16 with BOM (LE)"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16 BE with BOM"),
        (TEXT.encode("cp1252"), "windows-1252"),
    ],
)
def test_text_encodings_decode_to_the_same_words(data: bytes, label: str) -> None:
    (document,) = read(data, "note.txt")
    assert document.text == "Rechnung Nr. 17\nGrüße aus Köln – Summe 12,50 €", label
    assert document.mime == "text/plain"
    assert document.text_source == "text-layer"
    assert all(w.box is None and w.confidence == 1.0 for w in document.pages[0].words)


def test_latin1_bytes_that_cp1252_leaves_undefined() -> None:
    (document,) = read("Preis: 5 \x81 Größe".encode("latin-1"), "odd.txt")
    assert document.text == "Preis: 5 \x81 Größe"


def test_text_whitespace_collapses_to_single_spaces() -> None:
    (document,) = read(b"  a\t\tb  \r\n\r\n\r\nc   d\n", "x.txt")
    assert document.text == "a b\nc d"
    assert [w.line for w in document.pages[0].words] == [0, 0, 1, 1]


def test_binary_junk_is_unsupported() -> None:
    junk = bytes(range(256)) * 4
    with pytest.raises(BusinessError) as caught:
        read(junk, "data.txt")
    assert caught.value.code == "UNSUPPORTED_TYPE"
    assert "binary data starting with 00 01 02" in caught.value.message


def test_broken_utf16_after_a_bom_is_bad_encoding() -> None:
    with pytest.raises(BusinessError) as caught:
        read(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "broken.txt")  # lone surrogate
    assert caught.value.code == "BAD_ENCODING"


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"GIF89a" + b"\x00" * 40, "a GIF image"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "a gzip archive"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "an ELF executable"),
    ],
)
def test_unsupported_content_is_named(data: bytes, looks_like: str) -> None:
    with pytest.raises(BusinessError) as caught:
        read(data, "invoice.pdf")
    assert caught.value.code == "UNSUPPORTED_TYPE"
    assert looks_like in caught.value.message


def test_docx_is_named_as_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(BusinessError) as caught:
        read(buffer.getvalue(), "invoice.xlsx")
    assert "a Word document (.docx)" in caught.value.message


def test_empty_file() -> None:
    with pytest.raises(BusinessError) as caught:
        read(b"", "scan.pdf")
    assert caught.value.code == "EMPTY_FILE"
    assert "scan.pdf has zero bytes" in caught.value.message


def test_file_above_the_byte_limit_is_refused() -> None:
    settings = ReadingSettings(max_file_bytes=1000)
    with pytest.raises(BusinessError) as caught:
        read(b"x" * 1001, "big.txt", settings)
    assert caught.value.code == "FILE_TOO_LARGE"
    assert "1001 bytes" in caught.value.message and "CLERK_MAX_FILE_BYTES" in caught.value.message
    assert read(b"x" * 1000, "ok.txt", settings)[0].text == "x" * 1000


def test_read_path_checks_size_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLERK_MAX_FILE_BYTES", "10")
    path = tmp_path / "big.txt"
    path.write_bytes(b"y" * 11)
    with pytest.raises(BusinessError) as caught:
        read_path(path)
    assert caught.value.code == "FILE_TOO_LARGE"
    path.write_bytes(b"hello path")
    (document,) = read_path(str(path))
    assert (document.name, document.text) == ("big.txt", "hello path")


def test_sha256_is_of_the_bytes() -> None:
    import hashlib

    (document,) = read(b"abc", "a.txt")
    assert document.sha256 == hashlib.sha256(b"abc").hexdigest()
