"""File names from clients: cleaned for display, never used as paths."""

import re
import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext as _

from sfoqa.uploads.common import EXTENSIONS, PDF, refuse

DISPLAY_NAME_MAX = 200

# Characters never kept in a file name: controls (NUL, CR, LF ...), format
# characters (bidi overrides and isolates, zero-width marks) and separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def clean_file_name(name: str | None) -> str:
    """The last path part of `name`, without controls, bidi or zero-width
    characters, whitespace collapsed, at most 200 characters with its
    extension kept. Safe to store and (escaped) to show; never a path."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _UNSAFE_CATEGORIES
    )
    text = re.split(r"[/\\]", text)[-1]
    # A drive prefix ("C:x.pdf") names a place, not a file.
    text = re.sub(r"^[A-Za-z]:", "", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if len(text) > DISPLAY_NAME_MAX:
        match = _EXTENSION.search(text)
        extension = match.group(0) if match else ""
        stem = text[: DISPLAY_NAME_MAX - len(extension)].rstrip(" .")
        text = stem + extension
    return text


def display_name(name: str | None, kind: str) -> str:
    extension = EXTENSIONS[kind]
    text = clean_file_name(name)
    match = _EXTENSION.search(text)
    if match and match.group(0).lower() != extension:
        if kind == PDF:
            message = _(
                "The selected file is a PDF but its name ends in %(extension)s: "
                "rename it and try again"
            )
        else:
            message = _(
                "The selected file is a Word document (DOCX) but its name ends "
                "in %(extension)s: rename it and try again"
            )
        refuse(message, "name_mismatch", extension=match.group(0).lower())
    if not match:
        # No extension at all: give it the one its content has.
        text = (text or _("document"))[: DISPLAY_NAME_MAX - len(extension)]
        text = text.rstrip(" .") + extension
    return text


def content_disposition(download_name: str, *, inline: bool = False) -> str:
    """An RFC 6266 attachment (or inline) header: a plain-ASCII fallback name
    and the full UTF-8 name; nothing in the name can end or extend the header."""
    name = clean_file_name(download_name) or "document"
    fallback = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    fallback = re.sub(r'["\\;]', "_", fallback)
    fallback = re.sub(r"[^\x20-\x7e]", "", fallback).strip() or "document"
    disposition = "inline" if inline else "attachment"
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
