"""
Every export the service offers, for the Exports page. Some are made by the
app that owns the data (linked from here); the rest are made here from
several apps. Each one made here is audited with its row count, and goes
through the one formula-safe export helper.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import Action, audit_record
from accounts.roles import Role
from ratings.models import Assessment, Finding, StandardAssessment
from sfoqa.exports import Table, xlsx_response

LEADS = frozenset({Role.LEAD_INSPECTOR})
ADMINS = frozenset({Role.ADMIN})
INSPECTORATE = frozenset({Role.LEAD_INSPECTOR, Role.ADMIN, Role.INSPECTOR})


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    roles: frozenset
    url_name: str = ""  # an export another app makes
    build: Callable | None = None  # (user) -> {sheet: Table}, made here

    def url(self) -> str:
        if self.url_name:
            return reverse(self.url_name)
        return reverse("insights:export_download", kwargs={"name": self.name})

    def allowed(self, user) -> bool:
        return bool(self.roles & set(user.roles))


def _crn_for(user) -> bool:
    """CRNs are for Inspectorate staff only."""
    return bool(INSPECTORATE & set(user.roles))


def assessments_sheets(user) -> dict[str, Table]:
    """Every live assessment's ratings, overall rating and findings."""
    with_crn = _crn_for(user)
    assessments = (
        Assessment.objects.filter(review__isnull=False)
        .select_related("review__region", "inspector", "framework")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=StandardAssessment.objects.select_related("standard").order_by(
                    "standard__number"
                ),
            )
        )
        .order_by("review__hmpps_reference", "pk")
    )
    header = [
        str(_("HMPPS reference")),
        *([str(_("CRN"))] if with_crn else []),
        str(_("Region")),
        str(_("Inspector")),
        str(_("Status")),
        str(_("Framework version")),
        str(_("Standard 1")),
        str(_("Standard 2")),
        str(_("Standard 3")),
        str(_("Standard 4")),
        str(_("Overall rating")),
        str(_("Suggested by the policy")),
        str(_("Why it differs from the suggestion")),
        str(_("Published (UK time)")),
    ]
    rows = []
    for a in assessments:
        ratings = {s.standard.number: s.get_rating_display() for s in a.standards.all()}
        rows.append(
            [
                a.review.hmpps_reference,
                *([a.review.crn] if with_crn else []),
                a.review.region.name,
                a.inspector.full_name,
                a.get_status_display(),
                a.framework.version,
                *(ratings.get(n, "") for n in (1, 2, 3, 4)),
                a.get_overall_rating_display() if a.overall_rating is not None else "",
                a.get_overall_suggested_display()
                if a.overall_suggested is not None
                else "",
                a.departure_reason,
                a.published_at,
            ]
        )
    findings = (
        Finding.objects.filter(assessment__review__isnull=False)
        .select_related("assessment__review")
        .prefetch_related("themes")
        .order_by("assessment__review__hmpps_reference", "pk")
    )
    finding_rows = [
        [
            f.assessment.review.hmpps_reference,
            f.get_kind_display(),
            f.get_level_display(),
            "; ".join(t.name for t in f.themes.all()),
            f.get_action_plan_addresses_display() if f.action_plan_addresses else "",
            f.text,
        ]
        for f in findings
    ]
    return {
        str(_("Assessments")): Table(header=header, rows=rows),
        str(_("Findings")): Table(
            header=[
                str(_("HMPPS reference")),
                str(_("Kind")),
                str(_("Applies to")),
                str(_("Themes")),
                str(_("Action plan addresses it")),
                str(_("Finding")),
            ],
            rows=finding_rows,
        ),
    }


def benchmarking_sheets(user) -> dict[str, Table]:
    """Each benchmarking rating, by session, review, participant and standard."""
    ratings = (
        StandardAssessment.objects.filter(assessment__session_review__isnull=False)
        .select_related(
            "standard",
            "assessment__inspector",
            "assessment__session_review__session",
        )
        .order_by(
            "assessment__session_review__session__held_on",
            "assessment__session_review__position",
            "assessment__inspector__full_name",
            "standard__number",
        )
    )
    rows = [
        [
            r.assessment.session_review.session.title,
            r.assessment.session_review.session.held_on,
            r.assessment.session_review.title,
            r.assessment.inspector.full_name,
            f"{r.standard.number}. {r.standard.name}",
            r.get_rating_display() if r.rating is not None else "",
        ]
        for r in ratings
    ]
    header = [
        str(_("Session")),
        str(_("Held on")),
        str(_("Review in the session")),
        str(_("Participant")),
        str(_("Standard")),
        str(_("Rating")),
    ]
    return {str(_("Benchmarking ratings")): Table(header=header, rows=rows)}


def panel_actions_sheets(user) -> dict[str, Table]:
    """Panel actions with their learning item, owner and progress."""
    from panels.models import Action as PanelAction

    actions = PanelAction.objects.select_related(
        "panel", "learning_item", "owner_agency"
    ).order_by("panel_id", "due_on", "pk")
    rows = [
        [
            str(a.panel),
            a.learning_item.title if a.learning_item else "",
            a.what,
            str(a.owner_agency),
            a.due_on,
            a.get_status_display(),
            a.progress,
        ]
        for a in actions
    ]
    header = [
        str(_("Panel")),
        str(_("Learning")),
        str(_("Action")),
        str(_("Owner agency")),
        str(_("Due")),
        str(_("Status")),
        str(_("Progress (%)")),
    ]
    return {str(_("Panel actions")): Table(header=header, rows=rows)}


EXPORTS = [
    Export(
        "reviews",
        _("Review list"),
        _("Every SFO review with its case facts, status and dates (CSV)."),
        LEADS,
        url_name="reviews:export",
    ),
    Export(
        "assessments",
        _("Assessments"),
        _(
            "Every standard rating, the overall rating, the policy's suggestion "
            "and the reason for departing from it; findings with their themes "
            "(XLSX)."
        ),
        LEADS,
        build=assessments_sheets,
    ),
    Export(
        "sample-rounds",
        _("Sample rounds"),
        _("Each round's sampled reviews: export a round from its page (CSV)."),
        LEADS,
        url_name="reviews:sample_round_list",
    ),
    Export(
        "benchmarking",
        _("Benchmarking ratings"),
        _("Every rating given in benchmarking sessions (XLSX)."),
        LEADS,
        build=benchmarking_sheets,
    ),
    Export(
        "panel-actions",
        _("Panel actions"),
        _("Learning panels' actions, their owners and progress (XLSX)."),
        LEADS,
        build=panel_actions_sheets,
    ),
    Export(
        "consultation-responses",
        _("Consultation responses"),
        _("Export each consultation's responses from its page (CSV or XLSX)."),
        LEADS | ADMINS,
        url_name="consultations:staff_list",
    ),
    Export(
        "audit-log",
        _("Audit log"),
        _("Who did what and when, filtered as you choose (CSV)."),
        ADMINS,
        url_name="accounts:audit_log",
    ),
]


def exports_for(user) -> list[Export]:
    return [export for export in EXPORTS if export.allowed(user)]


def export_response(request, name: str):
    """The XLSX of an export made here, audited with its row count."""
    export = next((e for e in EXPORTS if e.name == name and e.build), None)
    if export is None or not export.allowed(request.user):
        raise Http404
    sheets = export.build(request.user)
    audit_record(
        action=Action.DATA_EXPORTED,
        request=request,
        details={
            "export": name,
            "filters": sorted(k for k, v in request.GET.items() if v),
            "rows": sum(len(table.rows) for table in sheets.values()),
            "crn": _crn_for(request.user),
        },
    )
    stamp = timezone.localdate().isoformat()
    return xlsx_response(f"sfo-qa-{name}-{stamp}.xlsx", sheets)
