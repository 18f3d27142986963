"""
PDF checks: open the file with qpdf (through pikepdf), which decodes object
streams, filter chains and predictors as a reader does, and walk every object
for names that run code, act on opening, carry other files or reach other
documents. A file qpdf cannot read cleanly, without repairs or warnings, is
refused: what a reader would make of it cannot be known.
"""

import contextlib
import io
import re

import pikepdf
from django.utils.translation import gettext as _
from pikepdf import Array, Dictionary, Name, Stream, String

from sfoqa.uploads.common import refuse, refuse_encrypted

# Names that run code, act on opening, carry other files or open other
# documents: refused as dictionary keys and as values (an action's /S).
PDF_FORBIDDEN_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
    }
)
# Keys whose string is a link target (an action's /URI, a catalogue's base).
PDF_LINK_KEYS = frozenset({"/URI", "/Base"})
PDF_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
PDF_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Readers drop these from links before following them.
PDF_LINK_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
# Limits that keep a hostile file from holding a worker: objects in the
# cross-reference table, values visited, and bytes decoded from object
# streams (each stream, and all of them together).
PDF_MAX_OBJECTS = 500_000
PDF_MAX_VALUES = 2_000_000
PDF_MAX_STREAM_BYTES = 64 * 1024 * 1024
PDF_MAX_DECODED_BYTES = 256 * 1024 * 1024
PDF_COMPRESSED_ENTRY = 2

# qpdf's limits are process-wide; these suit every PDF this service reads.
pikepdf.settings.set_qpdf_limits(
    flate_max_memory=PDF_MAX_STREAM_BYTES,
    png_max_memory=PDF_MAX_STREAM_BYTES,
    tiff_max_memory=PDF_MAX_STREAM_BYTES,
    run_length_max_memory=PDF_MAX_STREAM_BYTES,
)

PDF_ERRORS = (pikepdf.PdfError, ValueError, RuntimeError, MemoryError, OverflowError)


def _refuse_active_content():
    refuse(
        _(
            "The selected file contains active content (JavaScript or embedded "
            "files), which is not allowed"
        ),
        "active_content",
    )


def _refuse_external_link():
    refuse(
        _(
            "The selected file links to files on a computer or network share, "
            "which is not allowed"
        ),
        "external_content",
    )


def refuse_unreadable_pdf():
    refuse(
        _(
            "The selected file is not a readable PDF: save it again as a PDF "
            "and try again"
        ),
        "unreadable",
    )


def _refuse_too_complex():
    refuse(
        _(
            "The selected file is too complex to check safely: save it again as "
            "a PDF and try again"
        ),
        "too_complex",
    )


def unsafe_link(target: str) -> bool:
    """True for a link to a file, a network share or a script rather than
    to a web page or an email address."""
    target = PDF_LINK_IGNORED.sub("", target).replace("\\", "/").lower()
    if scheme := PDF_SCHEME.match(target):
        return scheme.group(1) not in PDF_LINK_SCHEMES
    # `//server/share` (or `\\server\share`) is a network path.
    return target.startswith("//")


def _link_texts(value: String) -> set[str]:
    """The target as bytes and as text (readers differ in which they use)."""
    texts = {bytes(value).decode("latin-1")}
    with contextlib.suppress(UnicodeDecodeError):
        texts.add(str(value))
    return texts


def _check_link(key: str, value) -> None:
    if key not in PDF_LINK_KEYS or not isinstance(value, String):
        return
    if any(unsafe_link(text) for text in _link_texts(value)):
        _refuse_external_link()


def _is_direct(value) -> bool:
    # A null comes back as None, with nothing in it to visit.
    return value is not None and not value.is_indirect


def _walk(objects) -> None:
    """Visit every value held in `objects` (without following references:
    each indirect object is in `objects` itself)."""
    pending = list(objects)
    visited = 0
    while pending:
        value = pending.pop()
        visited += 1
        if visited > PDF_MAX_VALUES:
            _refuse_too_complex()
        if isinstance(value, Name):
            if str(value) in PDF_FORBIDDEN_NAMES:
                _refuse_active_content()
        elif isinstance(value, Dictionary | Stream):
            for key, item in value.items():
                if key in PDF_FORBIDDEN_NAMES:
                    _refuse_active_content()
                _check_link(key, item)
                if _is_direct(item):
                    pending.append(item)
        elif isinstance(value, Array):
            pending.extend(item for item in value if _is_direct(item))


def _check_size(pdf: pikepdf.Pdf) -> None:
    """Refuse a file with too many objects, or whose object streams decode to
    too much, before qpdf reads the objects in them."""
    size = pdf.trailer.get("/Size")
    if isinstance(size, pikepdf.Integer) and int(size) > PDF_MAX_OBJECTS:
        _refuse_too_complex()
    table = pdf.get_xref_table()
    if len(table) > PDF_MAX_OBJECTS:
        _refuse_too_complex()
    containers = {
        entry.obj_stream_number
        for entry in table.values()
        if entry.type == PDF_COMPRESSED_ENTRY
    }
    budget = PDF_MAX_DECODED_BYTES
    for number in sorted(containers):
        budget -= len(pdf.get_object(number, 0).read_bytes())
        if budget < 0:
            _refuse_too_complex()


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(
            io.BytesIO(data),
            attempt_recovery=False,
            inherit_page_attributes=False,
            conversion_mode="explicit",
        )
    except pikepdf.PasswordError:
        refuse_encrypted()
    except PDF_ERRORS:
        refuse_unreadable_pdf()


def inspect_pdf(data: bytes) -> None:
    """Refuse a PDF that is not readable as it stands, is encrypted, or has
    active content or links to files."""
    with _open(data) as pdf:
        if pdf.is_encrypted:
            # Objects of an encrypted file are not what a reader decrypts.
            refuse_encrypted()
        try:
            _check_size(pdf)
            _walk([pdf.trailer, *pdf.objects])
        except PDF_ERRORS:
            refuse_unreadable_pdf()
        if pdf.get_warnings():
            # Damage qpdf read past: another reader may read it otherwise.
            refuse_unreadable_pdf()
