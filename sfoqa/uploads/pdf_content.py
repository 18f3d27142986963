"""
PDF checks: scan the raw bytes, and the inside of compressed streams that may
hold objects, for names that run code, act on opening or carry other files.
Names written with #xx escapes are decoded first.
"""

import itertools
import re
import zlib

from django.utils.translation import gettext as _

from sfoqa.uploads.common import refuse, refuse_encrypted, refuse_unreadable

# PDF names that run code, act on opening or carry other files.
PDF_FORBIDDEN_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"OpenAction",
        b"AA",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"GoToE",
    }
)
# Compressed streams that may hold objects are inflated and scanned too,
# within this budget.
PDF_MAX_INFLATED_BYTES = 256 * 1024 * 1024
PDF_INFLATE_PIECE = 256 * 1024
PDF_NAME_OVERLAP = 256
PDF_COMPRESSED_OBJECTS = frozenset({b"ObjStm", b"XRef"})
PDF_UNSCANNED_FILTERS = frozenset(
    {
        b"LZWDecode",
        b"LZW",
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"RunLengthDecode",
        b"RL",
    }
)
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"\bstream(?:\r\n|\n|\r)")
PDF_OBJECT_STREAM_START = re.compile(rb"(?:\s|%[^\r\n]*[\r\n])*\d+\s+\d+\s")


def _pdf_names(data: bytes, until: int | None = None):
    """Every name token in `data` (starting before `until`), #xx escapes
    decoded."""
    for match in PDF_NAME.finditer(data):
        if until is not None and match.start() >= until:
            break
        name = match.group(1)
        if b"#" in name:
            name = PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name


def _refuse_active_content():
    refuse(
        _(
            "The selected file contains active content (JavaScript or embedded "
            "files), which is not allowed"
        ),
        "active_content",
    )


def _inflate(view: memoryview, start: int):
    """Inflate the Flate data at `start` piece by piece (never all at once)."""
    decoder = zlib.decompressobj()
    position = start
    while not decoder.eof:
        if decoder.unconsumed_tail:
            piece = decoder.unconsumed_tail
        elif position < len(view):
            piece = view[position : position + PDF_INFLATE_PIECE]
            position += PDF_INFLATE_PIECE
        else:
            return
        output = decoder.decompress(piece, PDF_INFLATE_PIECE)
        if output:
            yield output


def _scan_compressed_objects(data: bytes) -> None:
    """Look inside compressed streams that may hold objects (object streams
    start with pairs of integers), where a byte search cannot see."""
    view = memoryview(data)
    budget = PDF_MAX_INFLATED_BYTES
    for match in PDF_STREAM.finditer(data):
        pieces = _inflate(view, match.end())
        try:
            first = next(pieces, b"")
        except zlib.error:
            continue  # not Flate data: the raw scan covered it
        if not PDF_OBJECT_STREAM_START.match(first):
            continue
        buffer = b""
        for piece in itertools.chain([first], _tolerant(pieces)):
            budget -= len(piece)
            if budget < 0:
                refuse_unreadable()
            buffer += piece
            # Names that may continue in the next piece wait for it.
            limit = len(buffer) - PDF_NAME_OVERLAP
            if limit > 0:
                if PDF_FORBIDDEN_NAMES.intersection(_pdf_names(buffer, limit)):
                    _refuse_active_content()
                buffer = buffer[limit:]
        if PDF_FORBIDDEN_NAMES.intersection(_pdf_names(buffer)):
            _refuse_active_content()


def _tolerant(pieces):
    """What inflates before any damage (a reader sees no more either)."""
    try:
        yield from pieces
    except zlib.error:
        return


def inspect_pdf(data: bytes) -> None:
    """Refuse a PDF with active content, or one that cannot be checked."""
    names = set(_pdf_names(data))
    if names & PDF_FORBIDDEN_NAMES:
        _refuse_active_content()
    if b"Encrypt" in names:
        # Encrypted objects cannot be scanned.
        refuse_encrypted()
    if names & PDF_COMPRESSED_OBJECTS and names & PDF_UNSCANNED_FILTERS:
        # Compressed objects encoded in ways the scan does not decode.
        refuse_unreadable()
    _scan_compressed_objects(data)
