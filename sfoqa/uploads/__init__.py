"""
Uploaded documents: accept PDF and Word (DOCX) files only, decided by their
content, refuse anything that could run code or reach outside the document,
store them under a generated name and send them back as attachments.

Callers: `DocumentField` in a form (its cleaned value is an `InspectedUpload`),
`store_upload()` inside the service that saves the record, and
`document_response()` in a permission-checked, audited download view.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sfoqa.uploads.common import (
    CONTENT_TYPES,
    DOCX,
    DOCX_MIME,
    EXTENSIONS,
    PDF,
    PDF_MIME,
    refuse,
)
from sfoqa.uploads.docx_content import is_word_document
from sfoqa.uploads.names import clean_file_name, content_disposition, display_name
from sfoqa.uploads.pdf_content import inspect_pdf

__all__ = [
    "ACCEPT",
    "DOCX_MIME",
    "PDF_MIME",
    "DocumentField",
    "InspectedUpload",
    "clean_file_name",
    "content_disposition",
    "document_response",
    "inline_pdf_response",
    "inspect_upload",
    "store_upload",
]

logger = logging.getLogger(__name__)

ACCEPT = f".pdf,.docx,{PDF_MIME},{DOCX_MIME}"
# Types a download may declare; anything else (HTML, SVG, scripts ...) goes
# out as plain bytes.
DOWNLOAD_TYPES = frozenset(
    {
        PDF_MIME,
        DOCX_MIME,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
        "text/plain",
        "application/zip",
        "application/json",
    }
)


@dataclass(frozen=True)
class InspectedUpload:
    """An upload that passed every check, ready for `store_upload()`."""

    file: UploadedFile
    kind: str
    content_type: str
    size: int
    sha256: str
    display_name: str
    extension: str


def _size_text(max_bytes: int) -> str:
    mb = 1024 * 1024
    if max_bytes >= mb and max_bytes % mb == 0:
        return f"{max_bytes // mb} MB"
    if max_bytes >= mb:
        return f"{max_bytes / mb:.1f} MB"
    return f"{max(1, max_bytes // 1024)} KB"


def _read_all(upload, max_bytes: int) -> bytes:
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        refuse(
            _("The selected file must be smaller than %(size)s"),
            "too_big",
            size=_size_text(max_bytes),
        )
    upload.seek(0)
    buffer = io.BytesIO()
    while True:
        chunk = upload.read(64 * 1024)
        if not chunk:
            break
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            refuse(
                _("The selected file must be smaller than %(size)s"),
                "too_big",
                size=_size_text(max_bytes),
            )
    upload.seek(0)
    return buffer.getvalue()


# The interface


def inspect_upload(upload, *, max_bytes: int | None = None) -> InspectedUpload:
    """Check an uploaded file and describe it, or raise ValidationError with
    a GOV.UK error message (and a code saying why)."""
    if max_bytes is None:
        max_bytes = settings.UPLOAD_MAX_BYTES
    data = _read_all(upload, max_bytes)
    if not data:
        refuse(_("The selected file is empty"), "empty")
    if data.startswith(b"%PDF-"):
        kind = PDF
    elif data.startswith(b"PK\x03\x04") and is_word_document(data):
        kind = DOCX
    else:
        refuse(
            _("The selected file must be a PDF or Word document (DOCX)"),
            "wrong_type",
        )
    name = display_name(getattr(upload, "name", ""), kind)
    if kind == PDF:
        inspect_pdf(data)
    upload.seek(0)
    return InspectedUpload(
        file=upload,
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=name,
        extension=EXTENSIONS[kind],
    )


_FOLDER = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*$")


def store_upload(inspected: InspectedUpload, *, folder: str) -> str:
    """Save the file under `folder` with a generated name; return the name
    to keep. The client's file name never reaches the storage path."""
    if not _FOLDER.match(folder):
        raise ValueError("folder must be plain path segments")
    inspected.file.seek(0)
    name = f"{folder}/{uuid.uuid4().hex}{inspected.extension}"
    try:
        stored = default_storage.save(name, inspected.file)
    except Exception as error:
        # Object storage refusing or unreachable (botocore's errors are not
        # OSErrors): the caller's transaction rolls back and the form says so.
        logger.exception("Upload not stored as %s", name)
        raise ValidationError(
            _("The selected file could not be saved: try again later"),
            code="not_stored",
        ) from error
    inspected.file.seek(0)
    return stored


# A PDF shown inside our own pages: the browser's PDF viewer runs in a frame
# of this origin only. No sandbox: Chromium refuses to show a PDF in one.
INLINE_PDF_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"


def document_response(
    *, storage_name: str, download_name: str, content_type: str
) -> FileResponse:
    """Stream a stored document as an attachment that no browser renders."""
    if content_type.split(";")[0].strip().lower() not in DOWNLOAD_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        default_storage.open(storage_name, "rb"), content_type=content_type
    )
    response["Content-Disposition"] = content_disposition(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


def inline_pdf_response(*, storage_name: str, download_name: str) -> FileResponse:
    """
    Stream a stored PDF for the browser's own viewer, framed only by our own
    pages (the caller's view allows X-Frame-Options SAMEORIGIN for it).
    """
    response = FileResponse(
        default_storage.open(storage_name, "rb"), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition(download_name, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_PDF_POLICY
    response["Cache-Control"] = "no-store, private"
    return response


class DocumentField(forms.FileField):
    """A file input whose cleaned value is an `InspectedUpload`."""

    default_error_messages = {
        "required": gettext_lazy("Select a file"),
        "invalid": gettext_lazy("The selected file could not be uploaded: try again"),
        "missing": gettext_lazy("Select a file"),
        "empty": gettext_lazy("The selected file is empty"),
        "contradiction": gettext_lazy("Select a file"),
        "max_length": gettext_lazy(
            "The selected file's name is too long: rename it and try again"
        ),
    }

    def __init__(self, *, max_bytes: int | None = None, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "widget",
            forms.FileInput(attrs={"accept": ACCEPT, "class": "govuk-file-upload"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return None
        return inspect_upload(value, max_bytes=self.max_bytes)
