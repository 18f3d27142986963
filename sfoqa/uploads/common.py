"""What every upload check shares: the two kinds and how a refusal is raised."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "pdf"
DOCX = "docx"
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
CONTENT_TYPES = {PDF: PDF_MIME, DOCX: DOCX_MIME}


def refuse(message: str, code: str, **params):
    raise ValidationError(message % params if params else message, code=code)


def refuse_unreadable():
    refuse(
        _("The selected file could not be read: save it again and try again"),
        "unreadable",
    )


def refuse_encrypted():
    refuse(
        _(
            "The selected file is password protected: save a copy without "
            "a password and try again"
        ),
        "encrypted",
    )
