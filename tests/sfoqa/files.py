"""
Builders of ordinary and hostile test files (PDF, DOCX and others), for the
upload checks and for any app's tests that upload documents.
"""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The EICAR test string: every virus scanner reports it, it harms nothing.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

hostile_names = [
    '"><script>alert(1)</script>.pdf',
    '"><img src=x onerror=alert(1)>.pdf',
    "..\\..\\x.pdf",
    "../../etc/passwd.pdf",
    "report\u202egpj.pdf",
    "a" * 300 + ".pdf",
    "nul\x00byte.pdf",
    "line\r\nbreak.pdf",
    "C:\\Users\\someone\\review.pdf",
    "\u2066isolated\u2069 \u200fmark.pdf",
]


def upload(content: bytes, name: str = "document.pdf", content_type: str = ""):
    """A Django upload, as a form would receive it."""
    return SimpleUploadedFile(name, content, content_type=content_type or PDF_MIME)


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A small valid PDF with one page of text; `extra` goes into the
    document catalogue."""
    content = b"BT /F1 12 Tf 72 720 Td (A test document) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def pdf_with(token: bytes) -> bytes:
    """A PDF whose catalogue has the key `token` (e.g. b"/JavaScript")."""
    return pdf_bytes(extra=token + b" (x)")


# A JavaScript action that readers run when the document opens, and the same
# script in the document-level name tree (where pdfinfo looks for it).
JAVASCRIPT_ON_OPEN = (
    b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> "
    b"/Names << /JavaScript << /Names [(x) << /S /JavaScript "
    b"/JS (app.alert\\(1\\)) >>] >> >>"
)


def _png_up(data: bytes, columns: int) -> bytes:
    """PNG predictor 2 ("Up") rows, as /Predictor 12 expects."""
    data += b" " * (-len(data) % columns)
    out, previous = bytearray(), bytes(columns)
    for start in range(0, len(data), columns):
        row = data[start : start + columns]
        out += b"\x02" + bytes(
            (a - b) % 256 for a, b in zip(row, previous, strict=True)
        )
        previous = row
    return bytes(out)


def _encoded(body: bytes, encoding: str) -> tuple[bytes, bytes]:
    """Stream data and its /Filter entries, for each way a writer may encode."""
    if encoding == "flate":
        return zlib.compress(body), b"/Filter /FlateDecode"
    if encoding == "flate-chain":
        return zlib.compress(
            zlib.compress(body)
        ), b"/Filter [/FlateDecode /FlateDecode]"
    if encoding == "predictor":
        return zlib.compress(_png_up(body, 4)), (
            b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>"
        )
    if encoding == "hex-flate":
        return zlib.compress(body).hex().encode() + b">", (
            b"/Filter [/ASCIIHexDecode /FlateDecode]"
        )
    raise ValueError(encoding)


def pdf_in_object_stream(extra: bytes = b"", *, encoding: str = "flate") -> bytes:
    """A PDF 1.5 file whose catalogue (with `extra` in it) and page tree sit
    in a compressed object stream, found through a cross-reference stream: a
    search of the file's bytes sees neither."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    header = b"1 0 2 %d " % (len(catalog) + 1)
    stream, filters = _encoded(header + catalog + b" " + pages, encoding)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = [len(out)]
    out += (
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << >> >>\nendobj\n"
    )
    offsets.append(len(out))
    out += (
        b"4 0 obj\n<< /Type /ObjStm /N 2 /First %d " % len(header)
        + filters
        + b" /Length %d >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream\nendobj\n"
    )
    offsets.append(len(out))
    # Cross-reference stream rows: type, offset or object stream, index.
    rows = [(0, 0, 65535), (2, 4, 0), (2, 4, 1)] + [(1, at, 0) for at in offsets]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R "
        b"/Length %d >>\nstream\n" % len(table) + table + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[-1]
    return bytes(out)


def pikepdf_with(build) -> bytes:
    """A one-page PDF made by pikepdf, after `build(pdf)` has changed it;
    saved with its objects in compressed object streams."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    build(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def encrypted_pdf(user_password: str = "") -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(user=user_password, owner="o"))
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    content = pdf_bytes()
    return content[: len(content) // 2]


def pdf_with_broken_cross_reference(*, objects: set[int] | None = None) -> bytes:
    """The cross-reference table puts `objects` (all of them when None) a few
    bytes from where they are, so a reader has to rebuild it by scanning."""
    content = pdf_bytes()
    head, table = content.split(b"\nxref\n", 1)
    lines = table.split(b"\n")
    # lines[0] is "0 N", lines[1] the free entry, then objects 1, 2 ...
    for number in range(1, len(lines) - 1):
        entry = lines[number + 1]
        if entry.endswith(b" n ") and (objects is None or number in objects):
            lines[number + 1] = b"%010d" % (int(entry[:10]) + 3) + entry[10:]
    return head + b"\nxref\n" + b"\n".join(lines)


def png_bytes() -> bytes:
    """A 1x1 PNG image."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack("!I", len(data)) + body + struct.pack("!I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def html_bytes() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def exe_bytes() -> bytes:
    """The start of a Windows executable."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00"


def _content_types(main: str = WORD_MAIN, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
        f"{extra}</Types>"
    )


def relationships(*rels: tuple[str, str, str]) -> str:
    """A .rels part from (type, target, target mode) triples."""
    items = "".join(
        f'<Relationship Id="rId{number}" Type="{OFFICE_REL}/{kind}" '
        f'Target="{target}"' + (f' TargetMode="{mode}"' if mode else "") + "/>"
        for number, (kind, target, mode) in enumerate(rels, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="{REL_NS}">{items}</Relationships>'
    )


def docx_bytes(
    members: dict | None = None,
    content_types_extra: str = "",
    *,
    main: str = WORD_MAIN,
) -> bytes:
    """A minimal Word document; `members` adds or replaces parts (a value
    of None removes one)."""
    parts = {
        "[Content_Types].xml": _content_types(main, content_types_extra),
        "_rels/.rels": relationships(("officeDocument", "word/document.xml", "")),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>A test document'
            "</w:t></w:r></w:p></w:body></w:document>"
        ),
        "word/_rels/document.xml.rels": relationships(),
    }
    parts.update(members or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is None:
                continue
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    """A zip that is an Office package but not a Word document."""
    return docx_bytes(
        main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )


def zip_bomb_docx(megabytes: int = 50) -> bytes:
    """One part that expands about a thousand times."""
    return docx_bytes({"word/media/bomb.xml": b"\0" * (megabytes * 1024 * 1024)})


def many_entries_docx(n: int = 10_000) -> bytes:
    return docx_bytes({f"word/parts/p{index}.xml": b"" for index in range(n)})


def zip_slip_docx(name: str = "../../evil.xml") -> bytes:
    """A part whose name climbs out of, or is absolute outside, the folder it
    would be extracted to. The name is written into the archive as is."""
    if len(name) < 6 or not name.isascii():
        raise ValueError("use an ASCII name of at least 6 characters")
    # A placeholder of the same length keeps every offset in the archive right.
    marker = ("zQ" * len(name))[: len(name)]
    data = docx_bytes({marker: b"x"})
    assert data.count(marker.encode()) == 2  # local header and central directory
    return data.replace(marker.encode(), name.encode())


def macro_docx(*, content_type: bool = True, project: bool = True) -> bytes:
    members = {}
    if project:
        members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    return docx_bytes(members, main=MACRO_MAIN if content_type else WORD_MAIN)


def ole_docx() -> bytes:
    return docx_bytes(
        {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1ole"},
        '<Default Extension="bin" '
        'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
    )


def external_rels_docx(target: str = "http://127.0.0.1:9/template.dotm") -> bytes:
    """A remote template: Word fetches it when the document opens."""
    return docx_bytes(
        {
            "word/_rels/settings.xml.rels": relationships(
                ("attachedTemplate", target, "External")
            ),
            "word/settings.xml": "<w:settings xmlns:w='urn:w'/>",
        }
    )


def hyperlink_docx() -> bytes:
    """An ordinary document with a web link (an external relationship that
    is only followed when someone clicks it)."""
    return docx_bytes(
        {
            "word/_rels/document.xml.rels": relationships(
                ("hyperlink", "https://www.example.org/", "External")
            )
        }
    )


def word_field_docx(instruction: str) -> bytes:
    """A Word document with one field whose instruction is split across two
    runs, as Word writes a field typed in two goes."""
    half = len(instruction) // 2
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{part}</w:instrText></w:r>'
        for part in (instruction[:half], instruction[half:])
    )
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return docx_bytes(
        {
            "word/document.xml": (
                '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
            )
        }
    )


ACTIVE_CONTENT_MESSAGE = (
    "The selected file contains active content (JavaScript or embedded files), "
    "which is not allowed"
)
NOT_A_READABLE_PDF_MESSAGE = (
    "The selected file is not a readable PDF: save it again as a PDF and try again"
)


def hostile_uploads() -> dict[str, tuple[bytes, str, str]]:
    """Files that every upload route refuses: (content, file name, the message
    each route gives)."""
    return {
        "empty": (b"", "review.pdf", "The selected file is empty"),
        "javascript in a chain of filters": (
            pdf_in_object_stream(JAVASCRIPT_ON_OPEN, encoding="flate-chain"),
            "review.pdf",
            ACTIVE_CONTENT_MESSAGE,
        ),
        "javascript behind a predictor": (
            pdf_in_object_stream(JAVASCRIPT_ON_OPEN, encoding="predictor"),
            "review.pdf",
            ACTIVE_CONTENT_MESSAGE,
        ),
        "truncated pdf": (truncated_pdf(), "review.pdf", NOT_A_READABLE_PDF_MESSAGE),
        "pdf header only": (b"%PDF-1.4\n", "review.pdf", NOT_A_READABLE_PDF_MESSAGE),
        "word field fetching a picture": (
            word_field_docx(' INCLUDEPICTURE "http://127.0.0.1:9/p.png" '),
            "review.docx",
            "The selected file has fields that fetch content from outside the "
            "document (such as INCLUDEPICTURE or LINK), which is not allowed",
        ),
        "word link to a network share": (
            docx_bytes(
                {
                    "word/_rels/document.xml.rels": relationships(
                        ("image", "\\\\attacker\\share\\p.png", "")
                    )
                }
            ),
            "review.docx",
            "The selected file links to content outside the document (such as a "
            "remote template), which is not allowed",
        ),
    }
