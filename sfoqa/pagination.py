"""
GOV.UK pagination (govuk/components/pagination, its block style) for a
keyset page: "Previous" and "Next" by cursor, each with the number of the
page it leads to. Written in one place and rendered in one pass, as the
tables are (sfoqa.tables): its words are translated once a process for each
language, not once a page, and only the page's own values are escaped.
"""

from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from sfoqa.keyset import KeysetPage
from sfoqa.tables import escaped

_ARROWS = {
    "prev": (
        '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" '
        'xmlns="http://www.w3.org/2000/svg" height="13" width="15" '
        'aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938'
        "-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2"
        'h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>'
    ),
    "next": (
        '<svg class="govuk-pagination__icon govuk-pagination__icon--next" '
        'xmlns="http://www.w3.org/2000/svg" height="13" width="15" '
        'aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107'
        "-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 "
        '1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>'
    ),
}


def _literal(text: str) -> str:
    """Translated words as HTML text inside a format string."""
    return escape(text).replace("{", "{{").replace("}", "}}")


@lru_cache(maxsize=8)
def _markup(language: str | None) -> dict[str, str]:
    """The pagination's markup in a language, as format strings over the
    page's values (`label`, `query`, `number`)."""
    page = _literal(gettext("page"))
    # "Page %(number)s", with a format field where the number goes.
    number = _literal(gettext("Page %(number)s")).replace("%(number)s", "{number}")
    links = {}
    for kind, word in (("prev", gettext("Previous")), ("next", gettext("Next"))):
        links[kind] = (
            f'<div class="govuk-pagination__{kind}">'
            '<a class="govuk-link govuk-pagination__link" href="?{query}" '
            f'rel="{kind}">{_ARROWS[kind]}'
            f'<span class="govuk-pagination__link-title">{_literal(word)}'
            f'<span class="govuk-visually-hidden"> {page}</span></span>'
            '<span class="govuk-visually-hidden">:</span>'
            f'<span class="govuk-pagination__link-label">{number}</span>'
            "</a></div>"
        )
    return {
        "open": (
            '<nav class="govuk-pagination govuk-pagination--block" '
            'aria-label="{label}">'
        ),
        "pages": escape(gettext("Pages")),
        **links,
    }


def pagination(page: KeysetPage, label=None) -> SafeString:
    """The page's "Previous" and "Next" links, or nothing where it is the
    only page; `label` names the pages where a screen has several lists."""
    if not (page.has_previous or page.has_next):
        return SafeString("")
    markup = _markup(get_language())
    html = [markup["open"].format(label=escaped(label) if label else markup["pages"])]
    if page.has_previous:
        html.append(
            markup["prev"].format(
                query=escaped(page.previous_query), number=page.number - 1
            )
        )
    if page.has_next:
        html.append(
            markup["next"].format(
                query=escaped(page.next_query), number=page.number + 1
            )
        )
    html.append("</nav>")
    return SafeString("".join(html))  # the markup is ours, its values escaped
