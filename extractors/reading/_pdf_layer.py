"""A PDF page's text layer through pdfium's text page: characters with boxes, and the
share of the page that images cover.

pdfium answers in the page's user space (points, origin bottom-left, before the page's
/Rotate); ``View`` turns that into what a reader sees and ``clerk.documents`` promises:
points from the top-left of the displayed crop box, as the page is rendered for OCR.

A character's box is the one pdfminer (and so pdfplumber, which Clerk read with before)
gives, so word grouping and every rule that measures boxes see what they saw: from the
glyph origin to the end of its advance, one font size tall, its bottom at the font's
descent below the baseline. pdfium's own "loose" box reaches to the font's ascent and
includes ink that overhangs the advance; its right edge is the advance where no ink
overhangs (all but an italic "f" and a few wide glyphs, a fraction of a point). Text
that is rotated or skewed on the page (a stamp, a sideways margin note) keeps pdfium's
loose box.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from extractors.reading._char_words import Char

if TYPE_CHECKING:
    import pypdfium2

# What pdfminer reads for the standard fonts (their AFM descender, per point of font
# size, under the names pdfminer knows); pdfium substitutes fonts of its own for them,
# whose descents differ.
_STANDARD_DESCENT = {
    **dict.fromkeys(
        (
            "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
            "Arial", "Arial,Bold", "Arial,Italic", "Arial,BoldItalic",
        ),
        -0.207,
    ),
    **dict.fromkeys(
        (
            "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
            "TimesNewRoman", "TimesNewRoman,Bold", "TimesNewRoman,Italic",
            "TimesNewRoman,BoldItalic",
        ),
        -0.217,
    ),
    **dict.fromkeys(
        (
            "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
            "CourierNew", "CourierNew,Bold", "CourierNew,Italic", "CourierNew,BoldItalic",
        ),
        -0.194,
    ),
}  # fmt: skip
# Below this a matrix entry is a rounding error, not a rotation or a skew.
_EPSILON = 1e-6
# Characters pdfium may have inserted itself (a space where it saw a gap, line breaks):
# its line breaks are dropped (``_char_words`` makes lines), its spaces end a word.
_MAYBE_GENERATED = frozenset((0x20, 0x0A, 0x0D))


@dataclass(frozen=True)
class View:
    """The displayed page: its size in points and the map from user space to it."""

    rotation: int  # clockwise degrees, as /Rotate
    left: float  # crop box in user space
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, page: pypdfium2.PdfPage) -> View:
        left, bottom, right, top = page.get_bbox()
        return cls(page.get_rotation() % 360, left, bottom, right, top)

    @property
    def size(self) -> tuple[float, float]:
        width, height = self.right - self.left, self.top - self.bottom
        return (height, width) if self.rotation in (90, 270) else (width, height)

    @property
    def affine(self) -> tuple[float, float, float, float, float, float]:
        """(xx, xy, xc, yx, yy, yc): a user-space point (x, y) is at
        (xx * x + xy * y + xc, yx * x + yy * y + yc) on the displayed page, y downwards."""
        if self.rotation == 90:
            return 0.0, 1.0, -self.bottom, 1.0, 0.0, -self.left
        if self.rotation == 180:
            return -1.0, 0.0, self.right, 0.0, 1.0, -self.bottom
        if self.rotation == 270:
            return 0.0, -1.0, self.top, -1.0, 0.0, self.right
        return 1.0, 0.0, -self.left, 0.0, -1.0, self.top

    def vector(self, dx: float, dy: float) -> tuple[float, float]:
        """A user-space direction on the displayed page, y upwards (as pdfminer's)."""
        if self.rotation == 90:
            return dy, -dx
        if self.rotation == 180:
            return -dx, -dy
        if self.rotation == 270:
            return -dy, dx
        return dx, dy

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, top, x1, bottom) on the displayed page."""
        xx, xy, xc, yx, yy, yc = self.affine
        ax, ay = xx * x0 + xy * y0 + xc, yx * x0 + yy * y0 + yc
        bx, by = xx * x1 + xy * y1 + xc, yx * x1 + yy * y1 + yc
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


class _Run:
    """What the characters of one text object share, and how they are placed."""

    def __init__(self, view: View, upright: bool, plain: bool, size: float, descent: float):
        self.view = view
        self.upright = upright
        self.plain = plain  # upright, unrotated and unskewed on the displayed page
        self.size = size  # font size on the page
        self.descent = descent  # per point of font size, negative
        self.affine = view.affine

    def char(self, text: str, x: float, y: float, loose: Any) -> Char:
        """``text`` at origin (``x``, ``y``) with pdfium's loose box, on the page."""
        if not self.plain:
            box = self.view.box(loose.left, loose.bottom, loose.right, loose.top)
            return Char(text, *box, self.upright)
        xx, xy, xc, yx, yy, yc = self.affine
        start = xx * x + xy * y + xc
        # the advance runs to the loose box's far edge in the direction of the text
        end = max(xx * loose.left + xy * loose.bottom, xx * loose.right + xy * loose.top) + xc
        low = yx * x + yy * y + yc - self.descent * self.size  # y grows downwards
        return Char(text, start, low - self.size, max(end, start), low, True)


def page_chars(page: pypdfium2.PdfPage, view: View) -> list[Char]:
    """Every character of the page's text layer, in content-stream order; a glyph that
    its font does not map to Unicode reads as U+FFFD (pdfminer wrote "(cid:N)")."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = textpage.count_chars()
        codes = _codes(textpage, count)
        text_object = _object_address()
        runs: dict[int | None, _Run | None] = {}
        fonts: dict[int | None, float] = {}
        x, y, loose = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
        chars: list[Char] = []
        last: int | None = None
        run: _Run | None = None
        for index, code in enumerate(codes):
            # Calls into pdfium cost about a microsecond each: the loop makes as few
            # as a character needs.
            if code in _MAYBE_GENERATED and pdfium_c.FPDFText_IsGenerated(raw, index):
                if code == 0x20 and chars and not chars[-1].text.isspace():
                    chars.append(_gap_after(chars[-1]))
                continue
            unmapped = pdfium_c.FPDFText_HasUnicodeMapError(raw, index)
            text = chr(code) if 0 < code < 0x110000 and not unmapped else "\ufffd"
            key = text_object(raw, index)
            if key != last or not chars:
                if key not in runs:
                    runs[key] = _run(raw, index, view, fonts)
                run, last = runs[key], key
            pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, loose)
            if run is None:  # no text object behind it: pdfium's box as it is
                box = view.box(loose.left, loose.bottom, loose.right, loose.top)
                chars.append(Char(text, *box, True))
            else:
                chars.append(run.char(text, x.value, y.value, loose))
        return chars
    finally:
        textpage.close()


def _gap_after(char: Char) -> Char:
    """The space pdfium inserted after ``char``, where its layout saw a gap between words
    that the page draws without a space glyph (Chromium's and Skia's PDFs place each word
    apart, often closer than the word-grouping tolerance), placed where ``char`` ends."""
    if char.upright:
        return Char(" ", char.x1, char.top, char.x1, char.bottom, True)
    return Char(" ", char.x0, char.bottom, char.x1, char.bottom, False)


def _codes(textpage: pypdfium2.PdfTextPage, count: int) -> list[int]:
    """Each character's Unicode code point: from the page's text in one call where it
    lines up with the characters (one per character), else one call per character."""
    import pypdfium2.raw as pdfium_c

    text = textpage.get_text_range(0, count) if count else ""
    if len(text) == count:
        return [ord(ch) for ch in text]
    return [pdfium_c.FPDFText_GetUnicode(textpage.raw, index) for index in range(count)]


@functools.cache
def _object_address() -> Any:
    """``FPDFText_GetTextObject`` answering the object's address as an int, so the
    characters of one text object are recognised without a ctypes cast each."""
    import pypdfium2.raw as pdfium_c

    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)
    address = ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
    assert address is not None  # a function of the loaded library
    return prototype(address)


def _run(raw: Any, index: int, view: View, fonts: dict[int | None, float]) -> _Run | None:
    import pypdfium2.raw as pdfium_c

    obj = pdfium_c.FPDFText_GetTextObject(raw, index)
    matrix = pdfium_c.FS_MATRIX()
    if not obj or not pdfium_c.FPDFText_GetMatrix(raw, index, matrix):
        return None
    font_size = pdfium_c.FPDFText_GetFontSize(raw, index)
    a, b = view.vector(matrix.a, matrix.b)  # the text's x axis on the displayed page
    c, d = view.vector(matrix.c, matrix.d)  # and its y axis, y upwards
    upright = a * d > 0 and b * c <= 0  # pdfminer's test
    plain = upright and abs(b) < _EPSILON and abs(c) < _EPSILON
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in fonts:
        fonts[key] = _descent(font)
    return _Run(view, upright, plain, font_size * d, fonts[key])


def _descent(font: Any) -> float:
    import pypdfium2.raw as pdfium_c

    if not font:
        return 0.0
    length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if length > 0:
        buffer = ctypes.create_string_buffer(length)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, length)
        standard = _STANDARD_DESCENT.get(buffer.value.decode("latin-1"))
        if standard is not None:
            return standard
    descent = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
        return 0.0
    return min(descent.value, 0.0)


def image_cover(page: pypdfium2.PdfPage, view: View) -> float:
    """The share of the displayed page that image objects cover (overlaps counted
    twice, as a stamped scan has one image), images inside forms included."""
    import pypdfium2.raw as pdfium_c

    width, height = view.size
    area = width * height
    if area <= 0:
        return 0.0
    # pdfium gives an object inside a form XObject its bounds in the form's space
    to_page: dict[int, Any] = {}  # id(form object) -> its space to the page's
    covered = 0.0
    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM]
    for obj in page.get_objects(filter=kinds):
        bounds = obj.get_bounds()
        outer = to_page.get(id(obj.container)) if obj.container is not None else None
        if outer is not None:
            bounds = outer.on_rect(*bounds)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = obj.get_matrix()
            to_page[id(obj)] = inner if outer is None else inner.multiply(outer)
            continue
        x0, top, x1, bottom = view.box(*bounds)
        on_page = (min(x1, width) - max(x0, 0.0), min(bottom, height) - max(top, 0.0))
        covered += max(0.0, on_page[0]) * max(0.0, on_page[1])
    return covered / area
