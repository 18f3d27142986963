"""
The download stamp on panel papers: "OFFICIAL-SENSITIVE, downloaded by NAME,
AGENCY, DATE" laid over every page of the stored PDF. The stamp is a one-page
PDF from `sfoqa.pdf`; pikepdf overlays it, so the paper is never re-rendered.
"""

import io

import pikepdf
from django.utils import timezone
from django.utils.translation import gettext as _

from sfoqa.dates import format_date_time
from sfoqa.pdf import render_template


def stamp_text(*, name: str, agency: str, when=None) -> str:
    return _("OFFICIAL-SENSITIVE, downloaded by %(name)s, %(agency)s, %(date)s") % {
        "name": name,
        "agency": agency,
        "date": format_date_time(when or timezone.now()),
    }


def stamp_page(text: str) -> bytes:
    """A one-page PDF with the stamp across its top edge."""
    return render_template("panels/paper_stamp_pdf.html", {"text": text})


def stamp_pdf(data: bytes, text: str) -> bytes:
    """The PDF with the stamp over each page, scaled to the page's size."""
    with (
        pikepdf.open(io.BytesIO(stamp_page(text))) as stamp,
        pikepdf.open(io.BytesIO(data)) as paper,
    ):
        overlay = paper.copy_foreign(stamp.pages[0].as_form_xobject())
        for page in paper.pages:
            box = page.mediabox
            rect = pikepdf.Rectangle(
                float(box[0]), float(box[1]), float(box[2]), float(box[3])
            )
            page.add_overlay(overlay, rect)
        out = io.BytesIO()
        paper.save(out)
        return out.getvalue()
