"""Fonts of the PDF, and text split into runs that each font can draw.

DejaVu Sans (shipped in rfp/reports/fonts, so a pip-installed rfp needs no system fonts)
draws Latin with its accents, Greek, Cyrillic and much more. Chinese, Japanese and Korean,
which DejaVu lacks, are drawn with a TrueType fallback font embedded in the PDF when the
system has one (Debian's fonts-wqy-zenhei or fonts-droid-fallback, or the file named by
RFP_PDF_CJK_FONT), else with reportlab's built-in CID fonts (not embedded: a viewer with
CJK fonts shows them, and the text extracts either way). A character no font covers is
shown as "?", never as a black box.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from rfp.domain.control_characters import without_control_characters

FONT = "RfpSans"
FONT_BOLD = "RfpSans-Bold"
FONT_DIR = Path(__file__).parent / "fonts"
SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# TrueType fonts (not CFF: reportlab embeds TrueType outlines only), first match wins.
FALLBACK_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Han, kana and Hangul
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),  # Han and kana
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),  # Hangul
)
CJK_FONT_ENV = "RFP_PDF_CJK_FONT"  # a .ttf/.ttc path, or "cid" for the built-in CID fonts
# reportlab's CID fonts, by script: kana means Japanese, Hangul Korean, else Chinese.
CID_JAPANESE = "HeiseiKakuGo-W5"
CID_KOREAN = "HYGothic-Medium"
CID_CHINESE = "STSong-Light"
MISSING = "?"


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    covered: frozenset[int]  # code points DejaVu draws
    fallback_setting: str  # RFP_PDF_CJK_FONT when registered

    @property
    def fallbacks(self) -> tuple[tuple[str, frozenset[int]], ...]:
        """(font name, code points) of the embedded fallback fonts, loaded on first use."""
        return _fallbacks(self.fallback_setting)


def _font_file(name: str) -> Path:
    shipped = FONT_DIR / name
    return shipped if shipped.exists() else SYSTEM_DEJAVU / name


@cache
def _register(fallback_setting: str) -> FontSet:
    regular = TTFont(FONT, str(_font_file("DejaVuSans.ttf")))
    bold = TTFont(FONT_BOLD, str(_font_file("DejaVuSans-Bold.ttf")))
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)  # fmt: skip
    return FontSet(FONT, FONT_BOLD, frozenset(regular.face.charToGlyph), fallback_setting)


@cache
def _fallbacks(setting: str) -> tuple[tuple[str, frozenset[int]], ...]:
    """Loading a CJK font takes a few tenths of a second: only when a text needs one."""
    if setting == "cid":
        paths: list[Path] = []
    elif setting:
        paths = [Path(setting)] if Path(setting).is_file() else []
    else:
        paths = [p for p in FALLBACK_CANDIDATES if p.is_file()]
    out = []
    for path in paths:
        name = "RfpFallback-" + "".join(ch for ch in path.stem if ch.isalnum())
        font = TTFont(name, str(path), subfontIndex=0)
        pdfmetrics.registerFont(font)
        out.append((name, frozenset(font.face.charToGlyph)))
    return tuple(out)


def fonts() -> FontSet:
    """The registered fonts (registered once per RFP_PDF_CJK_FONT setting)."""
    return _register(os.environ.get(CJK_FONT_ENV, ""))


def _is_kana(cp: int) -> bool:
    return 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F


def _is_hangul(cp: int) -> bool:
    return 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F


def _is_cjk(cp: int) -> bool:
    return (
        _is_kana(cp)
        or _is_hangul(cp)
        or 0x3000 <= cp <= 0x303F  # CJK punctuation
        or 0x3400 <= cp <= 0x4DBF  # extension A
        or 0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= cp <= 0xFFEF  # full- and half-width forms
    )


@cache
def _cid(name: str) -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


def _cid_font_for(text: str) -> str:
    codes = [ord(ch) for ch in text]
    if any(_is_kana(cp) for cp in codes):
        return _cid(CID_JAPANESE)
    if any(_is_hangul(cp) for cp in codes):
        return _cid(CID_KOREAN)
    return _cid(CID_CHINESE)


def runs(text: str, *, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (font name, chunk) runs, each chunk drawable by its font."""
    fs = fonts()
    base = fs.bold if bold else fs.regular
    # Control characters are refused where text comes in; here they would draw as boxes.
    text = without_control_characters(unicodedata.normalize("NFC", text))
    out: list[tuple[str, str]] = []
    cid: str | None = None
    for ch in text:
        cp = ord(ch)
        if cp in fs.covered or ch == "\n":
            font = base
        else:
            font = next((name for name, covered in fs.fallbacks if cp in covered), "")
            if not font and _is_cjk(cp):
                cid = cid or _cid_font_for(text)
                font = cid
            elif not font:
                font, ch = base, MISSING
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, with a font switch around CJK runs."""
    fs = fonts()
    parts = []
    for font, chunk in runs(text, bold=bold):
        escaped = escape(chunk).replace("\n", "<br/>")
        if font in (fs.regular, fs.bold):
            parts.append(escaped)
        else:
            parts.append(f'<font face="{font}">{escaped}</font>')
    return "".join(parts)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    # reportlab has no type stubs: stringWidth gives a float
    width: float = sum(
        pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text, bold=bold)
    )
    return width


def fit(text: str, size: float, max_width: float, *, bold: bool = False) -> str:
    """The text, cut with an ellipsis so that it fits max_width (chart labels)."""
    if text_width(text, size, bold=bold) <= max_width:
        return text
    while text and text_width(text + "…", size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
