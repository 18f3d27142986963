"""Numbers and file sizes written the one way the service writes them."""

from django.utils.translation import gettext as _

FILE_TYPES = {"pdf": "PDF", "docx": "Word document"}


def number_text(value) -> str:
    """A whole number with thousands separated by commas: "10,000"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


def size_text(size: int | None) -> str:
    """A file size as GOV.UK attachments give it: "261 KB", "1.4 MB" (1 KB is
    1,000 bytes)."""
    if size is None:
        return ""
    if size < 1_000_000:
        return _("%(size)s KB") % {"size": number_text(max(1, round(size / 1000)))}
    shown = f"{size / 1_000_000:.1f}".removesuffix(".0")
    return _("%(size)s MB") % {"size": shown}


def file_description(kind: str, size: int | None = None) -> str:
    """A file's type and size, as GOV.UK attachments show them: "PDF, 261 KB"."""
    label = FILE_TYPES.get(str(kind).lower(), str(kind).upper())
    return label if size is None else f"{label}, {size_text(size)}"
