"""Tesseract kept warm in the process: Debian's ``libtesseract`` through its C API.

Started as a program, tesseract spends about a third of a second of every call loading
its language data before it reads a pixel (``eng+deu+fra``: 0.32 s of a 1.2 s scanned
page, and nearly all of a one-line second reading). An ``Engine`` loads the languages
once and reads page after page: a long-running worker pays that load once per process,
not once per page (``bench/race_documents.py`` times a page against the bare command).

It is the same library the ``tesseract`` command runs, given the same pixels and
settings, so it reads the same words (``tests/unit/extractors/test_reading_tesseract.py``
compares the two): the page segmentation mode, ``tessedit_do_invert`` and the source
resolution that the command's ``--psm``, ``-c`` and ``--dpi`` set are set here per call.

An engine is not thread-safe: a process has one per language set, and reads one page at
a time with it (processes, not threads, read pages side by side). Its messages
(resolution estimates, warnings) go to ``/dev/null``, as the command's stderr did. A
page that runs past its deadline is stopped by tesseract itself (its progress monitor)
and is an ``OCR_FAILED`` error, as a stuck program was.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
import time
from typing import TYPE_CHECKING

from clerk.errors import ApplicationError

if TYPE_CHECKING:
    from PIL import Image

# Debian's package names the library libtesseract.so.5 (tesseract-ocr depends on it).
_LIBRARY_NAMES = ("tesseract", "libtesseract.so.5")
_LEPTONICA_SEVERITY_NONE = 6  # leptonica's L_SEVERITY_NONE: no messages at all
_INSTALL_HINT = "install Debian's tesseract-ocr with the language packs"


_SIGNATURES = {  # the C API's functions used here: (argument types, result type)
    "TessBaseAPICreate": ([], ctypes.c_void_p),
    "TessBaseAPIInit3": ([ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
    "TessBaseAPISetVariable": ([ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
    "TessBaseAPISetPageSegMode": ([ctypes.c_void_p, ctypes.c_int], None),
    "TessBaseAPISetImage": ([ctypes.c_void_p, ctypes.c_char_p] + [ctypes.c_int] * 4, None),
    "TessBaseAPIRecognize": ([ctypes.c_void_p, ctypes.c_void_p], ctypes.c_int),
    "TessBaseAPIGetTsvText": ([ctypes.c_void_p, ctypes.c_int], ctypes.c_void_p),
    "TessBaseAPIClear": ([ctypes.c_void_p], None),
    "TessBaseAPIEnd": ([ctypes.c_void_p], None),
    "TessBaseAPIDelete": ([ctypes.c_void_p], None),
    "TessDeleteText": ([ctypes.c_void_p], None),
    "TessMonitorCreate": ([], ctypes.c_void_p),
    "TessMonitorSetDeadlineMSecs": ([ctypes.c_void_p, ctypes.c_int], None),
    "TessMonitorDelete": ([ctypes.c_void_p], None),
}
_loaded: ctypes.CDLL | None = None
_lock = threading.Lock()  # guards the library's loading and every engine's use


def library() -> ctypes.CDLL:
    """The loaded library; OCR_FAILED with what to install when it is missing."""
    global _loaded
    if _loaded is None:
        # Default OpenMP threading made a page several times slower on a busy machine:
        # scale with processes instead. OpenMP reads this once, when it is loaded.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        loaded = _open()
        for name, (arguments, result) in _SIGNATURES.items():
            function = getattr(loaded, name)
            function.argtypes, function.restype = arguments, result
        _quiet_leptonica()
        _loaded = loaded
    return _loaded


def _quiet_leptonica() -> None:
    """Leptonica, the image library under tesseract, prints its own complaints to stderr
    ("Error in pixScanForForeground: invalid box" on a speck): the command's stderr was
    discarded, and so are they here."""
    for name in ("lept", "leptonica"):
        path = ctypes.util.find_library(name)
        if path is not None:
            ctypes.CDLL(path).setMsgSeverity(_LEPTONICA_SEVERITY_NONE)
            return


def _open() -> ctypes.CDLL:
    tried = []
    for name in _LIBRARY_NAMES:
        path = ctypes.util.find_library(name) if "." not in name else name
        if path is None:
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            tried.append(f"{path}: {exc}")
    raise ApplicationError(
        "OCR_FAILED",
        f"the tesseract library (libtesseract) was not found ({'; '.join(tried) or 'none'}); "
        f"{_INSTALL_HINT}",
    )


class Engine:
    """One initialised tesseract (languages loaded); use it from one thread at a time."""

    def __init__(self, languages: str) -> None:
        self._lib = lib = library()
        self._handle = lib.TessBaseAPICreate()
        lib.TessBaseAPISetVariable(self._handle, b"debug_file", os.devnull.encode())
        if lib.TessBaseAPIInit3(self._handle, None, languages.encode()) != 0:
            self.close()
            raise ApplicationError(
                "OCR_FAILED",
                f"tesseract could not load the languages {languages!r}; {_INSTALL_HINT} "
                f"for {languages!r} (tesseract --list-langs shows what is installed)",
            )

    def tsv(
        self, image: Image.Image, *, psm: int, variables: dict[str, str], timeout: float
    ) -> str:
        """Tesseract's TSV (no header row) for a grey ("L") image."""
        if image.mode != "L":
            raise ValueError(f"tesseract is handed grey (L) images, not {image.mode!r}")
        lib, handle = self._lib, self._handle
        lib.TessBaseAPISetPageSegMode(handle, psm)
        for name, value in variables.items():
            if not lib.TessBaseAPISetVariable(handle, name.encode(), value.encode()):
                raise ValueError(f"tesseract has no variable {name!r}")
        pixels = image.tobytes()
        lib.TessBaseAPISetImage(handle, pixels, image.width, image.height, 1, image.width)
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessMonitorSetDeadlineMSecs(monitor, int(timeout * 1000))
            started = time.monotonic()
            status = lib.TessBaseAPIRecognize(handle, monitor)
            if status != 0 or time.monotonic() - started >= timeout:
                raise ApplicationError(
                    "OCR_FAILED",
                    f"tesseract stopped (status {status}) or did not finish within {timeout:g} "
                    "s; the machine may be overloaded; the item can be retried",
                )
            text = lib.TessBaseAPIGetTsvText(handle, 0)
            try:
                return ctypes.string_at(text).decode("utf-8", errors="replace")
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(handle)

    def close(self) -> None:
        if self._handle:
            self._lib.TessBaseAPIEnd(self._handle)
            self._lib.TessBaseAPIDelete(self._handle)
            self._handle = None


_engines: dict[str, Engine] = {}


def read_tsv(
    image: Image.Image, languages: str, *, psm: int, variables: dict[str, str], timeout: float
) -> str:
    """Tesseract's TSV (no header row) of a grey ("L") image, read by this process's
    engine for ``languages`` (started on first use). One page at a time per process."""
    with _lock:
        found = _engines.get(languages)
        if found is None:
            found = _engines[languages] = Engine(languages)
        return found.tsv(image, psm=psm, variables=variables, timeout=timeout)


@atexit.register
def _close_all() -> None:  # tesseract warns of leaked language data otherwise
    with _lock:
        for each in _engines.values():
            each.close()
        _engines.clear()
