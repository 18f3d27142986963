"""The tables of the QA lists: moderation, Your QA work and published
reports (their rows come from the row builders in ratings.selectors)."""

from django.utils.translation import gettext_lazy as _

from sfoqa.tables import Column, Table, action_column, link, status_tag

WAITING_TABLE = Table(
    columns=(
        Column(_("Review"), "{review}"),
        Column(_("Inspector"), "{inspector}"),
        Column(_("Region"), "{region}"),
        Column(_("Submitted"), "{submitted}"),
    )
)

TO_PUBLISH_TABLE = Table(
    columns=(
        Column(_("Review"), link("url", "reference")),
        Column(_("Inspector"), "{inspector}"),
        Column(_("Signed off"), "{signed_off}{signed_off_by}"),
        action_column("publish_url", "publish"),
    )
)

MINE_TABLE = Table(
    columns=(
        Column(_("Review"), link("url", "reference")),
        Column(_("Region"), "{region}"),
        Column(_("Offence"), "{offence}"),
        Column(_("Due"), "{due}{overdue_tag}"),
        Column(_("Status"), status_tag()),
    )
)

PUBLISHED_TABLE = Table(
    columns=(
        Column(_("Review"), "{reference}"),
        Column(_("Region"), "{region}"),
        Column(_("Offence"), "{offence}"),
        Column(_("Overall"), "{overall}"),
        Column(_("Published"), "{published}{publication}"),
        Column(_("Report"), "{report}"),
    )
)
