"""
A tiny one-page PDF written directly (no WeasyPrint), for demonstration
documents that stand in for real ones.
"""

from __future__ import annotations

import textwrap
import unicodedata

PAGE_WIDTH = 595  # A4 in points
PAGE_HEIGHT = 842
MARGIN = 56
LINE_CHARACTERS = 90
MAX_LINES = 60


def _ascii(text: str) -> str:
    """Plain printable ASCII: accents dropped, anything else becomes "?"."""
    text = str(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00b7", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch if " " <= ch <= "~" else ("" if unicodedata.combining(ch) else "?")
        for ch in decomposed
    )


def _pdf_string(text: str) -> str:
    escaped = _ascii(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def _wrap(lines: list[str]) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(_ascii(line), LINE_CHARACTERS) or [""])
    return wrapped[:MAX_LINES]


def placeholder_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing `title` in bold and `lines` below it."""
    text = [
        "BT",
        f"/F2 16 Tf {MARGIN} {PAGE_HEIGHT - MARGIN - 16} Td",
        _pdf_string(_ascii(title)[:LINE_CHARACTERS]) + " Tj",
        "/F1 11 Tf 0 -30 Td 15 TL",
    ]
    for line in _wrap(lines):
        text.append(_pdf_string(line) + " Tj T*")
    text.append("ET")
    content = "\n".join(text).encode("ascii")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        (f"<< /Title {_pdf_string(title)} /Producer (SFO quality assurance) >>").encode(
            "ascii"
        ),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return bytes(out)
