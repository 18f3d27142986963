"""Helpers shared by the reviews views."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from sfoqa.params import page_number

PAGE_SIZE = 50
# Far past any real list, and an offset every database can take.
LAST_PAGE = 1_000_000


@dataclass
class Page:
    """A page of rows without counting the whole list: one row more than
    shown says whether there is a next page."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def label_statuses(page: Page, *, hmpps_view: bool) -> Page:
    for review in page.object_list:
        review.shown_status = review.hmpps_status if hmpps_view else review.status_label
    return page


def page_of(rows: QuerySet, number: str | None) -> Page:
    page = page_number(number, last=LAST_PAGE)
    start = (page - 1) * PAGE_SIZE
    found = list(rows[start : start + PAGE_SIZE + 1])
    return Page(found[:PAGE_SIZE], page, len(found) > PAGE_SIZE)


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
