"""The review list's table (its rows come from selectors.ReviewRows)."""

from django.utils.translation import gettext_lazy as _

from sfoqa.tables import Column, Table, action_column, link, status_tag

REVIEW_TABLE = Table(
    columns=(
        Column(_("HMPPS reference"), link("url", "reference", classes="app-nowrap")),
        Column(_("CRN"), "{masked_crn}"),
        Column(_("Region"), "{region}"),
        Column(_("Offence"), "{offence}"),
        Column(_("Received"), "{received}"),
        Column(_("Target date"), "{due}{late}"),
        Column(_("Status"), status_tag()),
    ),
    classes="app-table--compact",
)


_SAMPLE_COLUMNS = (
    Column(_("HMPPS reference"), link("url", "reference") + "{added}"),
    Column(_("Region"), "{region}"),
    Column(_("Offence"), "{offence}"),
)
SAMPLE_TABLE = Table(columns=_SAMPLE_COLUMNS)
# A draft's sample, with a link to take each review out of it.
DRAFT_SAMPLE_TABLE = Table(
    columns=(
        *_SAMPLE_COLUMNS,
        action_column("remove_url", "remove"),
    )
)

STRATA_TABLE = Table(
    columns=(
        Column(_("Region"), "{region}"),
        Column(_("Offence category"), "{offence}"),
        Column(_("Population"), "{population}", numeric=True),
        Column(_("Drawn"), "{allocated}", numeric=True),
        Column(_("Sample"), "{selected}", numeric=True),
        Column(_("Percentage"), "{percent}%", numeric=True),
    ),
    total_span=2,
)
