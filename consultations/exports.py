"""Responses as one table, for the CSV and XLSX downloads."""

from sfoqa.exports import Table

FIXED_COLUMNS = [
    "Reference", "Received (UK time)", "How it arrived", "Held for review",
    "Audience", "Name", "Organisation", "Email address", "Themes",
    "Response text",
]  # fmt: skip


def response_table(*, questions, responses) -> Table:
    """The header and one row per response, answers in question order."""
    header = [*FIXED_COLUMNS, *(q.text for q in questions)]
    rows = [
        [
            response.reference,
            response.received_at,
            response.get_channel_display(),
            # Held as possible spam: kept apart, so nobody counts it unawares.
            "Yes" if response.held_for_review else "No",
            response.audience.name if response.audience else "",
            response.name,
            response.organisation,
            response.email,
            [theme.name for theme in response.themes.all()],
            response.text,
            # A list of chosen options becomes one cell, joined by "; ".
            *(response.answers.get(str(q.pk)) for q in questions),
        ]
        for response in responses
    ]
    return Table(header, rows)
