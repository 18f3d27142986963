"""
Every export the service offers, for the Exports page. The review list is
made by its own app (linked from here); the rest are made here, from several
apps, as report jobs: the builder writes the rows a chunk at a time, reports
its progress, audits the file it made with its filters and row count, and
goes through the one formula-safe export helper.
"""

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from accounts.audit import Action, audit_record
from accounts.forms import AuditFilterForm
from accounts.roles import Role
from consultations import exports as consultation_exports
from consultations import selectors as consultation_selectors
from insights.forms import ConsultationChoiceForm, NoFilterForm, SampleRoundChoiceForm
from ratings.models import Assessment, Finding, StandardAssessment
from reports.kinds import Rendered, requester_or_admin
from reviews import selectors as review_selectors
from reviews.models import Allocation
from sfoqa.dates import format_date
from sfoqa.exports import LONDON, UTC, XLSX_TYPE, Table, write_xlsx

LEADS = frozenset({Role.LEAD_INSPECTOR})
ADMINS = frozenset({Role.ADMIN})
INSPECTORATE = frozenset({Role.LEAD_INSPECTOR, Role.ADMIN, Role.INSPECTOR})
# The builder records its progress once per this many rows written.
PROGRESS_EVERY = 500
CHUNK = 2000


@dataclass(frozen=True)
class Sheet:
    """One sheet of an export: its rows (read lazily) and how many there are,
    counted first so that the progress figure is real."""

    header: list
    rows: Iterable
    count: int
    zone: object = LONDON


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    roles: frozenset
    url_name: str = ""  # an export another app makes, linked from the page
    # build(crn=bool, filters=cleaned_data) -> {sheet name: Sheet}, made here
    build: Callable | None = None
    form: type[forms.Form] = NoFilterForm

    @property
    def is_job(self) -> bool:
        return self.build is not None

    @property
    def kind(self) -> str:
        """The report kind the export's jobs run as."""
        return "export_" + self.name.replace("-", "_")

    def url(self) -> str:
        if self.url_name:
            return reverse(self.url_name)
        return reverse("insights:export_request", kwargs={"name": self.name})

    def allowed(self, user) -> bool:
        return bool(self.roles & set(user.roles))


def crn_for(user) -> bool:
    """CRNs are for Inspectorate staff only."""
    return bool(INSPECTORATE & set(user.roles))


def _crn(crn: bool, review) -> list:
    return [review.crn] if crn else []


def _header(crn: bool, *names) -> list[str]:
    """The header, with "CRN" after the first column when CRNs are shown."""
    first, *rest = (str(name) for name in names)
    return [first, *([str(_("CRN"))] if crn else []), *rest]


def _display(value, display: str) -> str:
    return display if value is not None else ""


def _assessment_rows(assessments, crn: bool) -> Iterator[list]:
    for a in assessments.iterator(chunk_size=CHUNK):
        ratings = {s.standard.number: s.get_rating_display() for s in a.standards.all()}
        yield [
            a.review.hmpps_reference,
            *_crn(crn, a.review),
            a.review.region.name,
            a.inspector.full_name,
            a.get_status_display(),
            a.framework.version,
            *(ratings.get(n, "") for n in (1, 2, 3, 4)),
            _display(a.overall_rating, a.get_overall_rating_display()),
            _display(a.overall_suggested, a.get_overall_suggested_display()),
            a.departure_reason,
            a.published_at,
        ]


def _finding_rows(findings) -> Iterator[list]:
    for f in findings.iterator(chunk_size=CHUNK):
        yield [
            f.assessment.review.hmpps_reference,
            f.get_kind_display(),
            f.get_level_display(),
            "; ".join(t.name for t in f.themes.all()),
            f.get_action_plan_addresses_display() if f.action_plan_addresses else "",
            f.text,
        ]


def assessments_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
    """Every live assessment's ratings, overall rating and findings."""
    standards = StandardAssessment.objects.select_related("standard").order_by(
        "standard__number"
    )
    assessments = (
        Assessment.objects.filter(review__isnull=False)
        .select_related("review__region", "inspector", "framework")
        .prefetch_related(Prefetch("standards", queryset=standards))
        .order_by("review__hmpps_reference", "pk")
    )
    findings = (
        Finding.objects.filter(assessment__review__isnull=False)
        .select_related("assessment__review")
        .prefetch_related("themes")
        .order_by("assessment__review__hmpps_reference", "pk")
    )
    header = _header(
        crn,
        _("HMPPS reference"),
        _("Region"),
        _("Inspector"),
        _("Status"),
        _("Framework version"),
        _("Standard 1"),
        _("Standard 2"),
        _("Standard 3"),
        _("Standard 4"),
        _("Overall rating"),
        _("Suggested by the policy"),
        _("Why it differs from the suggestion"),
        _("Published (UK time)"),
    )
    finding_header = [
        str(_("HMPPS reference")),
        str(_("Kind")),
        str(_("Applies to")),
        str(_("Themes")),
        str(_("Action plan addresses it")),
        str(_("Finding")),
    ]
    return {
        str(_("Assessments")): Sheet(
            header, _assessment_rows(assessments, crn), assessments.count()
        ),
        str(_("Findings")): Sheet(
            finding_header, _finding_rows(findings), findings.count()
        ),
    }


def _benchmark_rows(ratings) -> Iterator[list]:
    for r in ratings.iterator(chunk_size=CHUNK):
        session_review = r.assessment.session_review
        yield [
            session_review.session.title,
            session_review.session.held_on,
            session_review.title,
            r.assessment.inspector.full_name,
            f"{r.standard.number}. {r.standard.name}",
            _display(r.rating, r.get_rating_display()),
        ]


def benchmarking_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
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
    header = [
        str(_("Session")),
        str(_("Held on")),
        str(_("Review in the session")),
        str(_("Participant")),
        str(_("Standard")),
        str(_("Rating")),
    ]
    return {
        str(_("Benchmarking ratings")): Sheet(
            header, _benchmark_rows(ratings), ratings.count()
        )
    }


def _action_rows(actions) -> Iterator[list]:
    for a in actions.iterator(chunk_size=CHUNK):
        yield [
            str(a.panel),
            a.learning_item.title if a.learning_item else "",
            a.what,
            str(a.owner_agency),
            a.due_on,
            a.get_status_display(),
            a.progress,
        ]


def _learning_rows(items) -> Iterator[list]:
    for item in items.iterator(chunk_size=CHUNK):
        yield [
            str(item.panel),
            item.title,
            item.get_level_display(),
            "; ".join(t.name for t in item.themes.all()),
            item.get_status_display(),
            item.approved_at,
            item.disseminated_at,
            item.learning,
            item.recommendation,
        ]


def panel_actions_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
    """Panel actions with their owner and progress, and the panels' learning."""
    from panels.models import Action as PanelAction
    from panels.models import LearningItem

    actions = PanelAction.objects.select_related(
        "panel", "learning_item", "owner_agency"
    ).order_by("panel_id", "due_on", "pk")
    learning = (
        LearningItem.objects.select_related("panel")
        .prefetch_related("themes")
        .order_by("panel_id", "created_at", "pk")
    )
    action_header = [
        str(_("Panel")),
        str(_("Learning")),
        str(_("Action")),
        str(_("Owner agency")),
        str(_("Due")),
        str(_("Status")),
        str(_("Progress (%)")),
    ]
    learning_header = [
        str(_("Panel")),
        str(_("Title")),
        str(_("Level")),
        str(_("Themes")),
        str(_("Status")),
        str(_("Approved (UK time)")),
        str(_("Disseminated (UK time)")),
        str(_("The learning")),
        str(_("Recommendation")),
    ]
    return {
        str(_("Panel actions")): Sheet(
            action_header, _action_rows(actions), actions.count()
        ),
        str(_("Panel learning")): Sheet(
            learning_header, _learning_rows(learning), learning.count()
        ),
    }


def _strata_rows(strata) -> Iterator[list]:
    for s in strata:
        yield [
            s.region.name,
            s.offence_category.name,
            s.population,
            s.allocated,
            s.selected,
            s.percent,
        ]


def _sampled_rows(entries, sample_round, crn: bool) -> Iterator[list]:
    for entry in entries.iterator(chunk_size=CHUNK):
        review = entry.review
        yield [
            review.hmpps_reference,
            *_crn(crn, review),
            review.region.name,
            f"{entry.stratum.region.name} / {entry.stratum.offence_category.name}",
            _("Added purposively") if entry.added else _("Drawn at random"),
            sample_round.confirmed_at,
            entry.inspector_name or "",
            review.get_status_display(),
        ]


def sample_round_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
    """A round's strata and the reviews in its sample."""
    sample_round = filters["round"]
    strata = list(review_selectors.round_strata(sample_round))
    inspector = Allocation.objects.filter(
        review=OuterRef("review"), is_current=True
    ).values("inspector__full_name")[:1]
    entries = (
        sample_round.entries.filter(Q(drawn=True, removed=False) | Q(added=True))
        .select_related(
            "review__region", "stratum__region", "stratum__offence_category"
        )
        .annotate(inspector_name=Subquery(inspector))
        .order_by(*review_selectors.SAMPLE_KEYS)
    )
    strata_header = [
        str(_("Region")),
        str(_("Offence category")),
        str(_("Population")),
        str(_("Drawn at random")),
        str(_("Final sample")),
        str(_("Percentage")),
    ]
    sampled_header = _header(
        crn,
        _("HMPPS reference"),
        _("Region"),
        _("Stratum"),
        _("How it was sampled"),
        _("Sampled (UK time)"),
        _("Allocated inspector"),
        _("QA status"),
    )
    return {
        str(_("Strata")): Sheet(strata_header, _strata_rows(strata), len(strata)),
        str(_("Sampled reviews")): Sheet(
            sampled_header,
            _sampled_rows(entries, sample_round, crn),
            entries.count(),
        ),
    }


def consultation_responses_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
    """One consultation's responses, answers in question order."""
    consultation = filters["consultation"]
    table = consultation_exports.response_table(
        questions=consultation_selectors.questions_for(consultation),
        responses=consultation_selectors.responses_for_staff(
            consultation=consultation
        ).iterator(chunk_size=CHUNK),
    )
    rows = list(table.rows)
    return {str(_("Responses")): Sheet(list(table.header), rows, len(rows))}


def audit_log_sheets(*, crn: bool, filters: dict) -> dict[str, Sheet]:
    """Audit events, filtered as on the audit log page, times in UTC."""
    events = account_selectors.audit_events(**filters)
    return {
        str(_("Audit log")): Sheet(
            account_selectors.AUDIT_COLUMNS,
            account_selectors.audit_rows(events),
            events.count(),
            zone=UTC,
        )
    }


EXPORTS = [
    Export(
        "reviews",
        _("Review list"),
        _(
            "Every SFO review with its case facts, status and dates, filtered as "
            "you choose on the review list (CSV)."
        ),
        LEADS,
        url_name="reviews:list",
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
        _("Sample round"),
        _("A round's strata and its sampled reviews (XLSX)."),
        LEADS,
        build=sample_round_sheets,
        form=SampleRoundChoiceForm,
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
        _("Panel actions and learning"),
        _(
            "Learning panels' actions, their owners and progress, and the "
            "learning they drew (XLSX)."
        ),
        LEADS,
        build=panel_actions_sheets,
    ),
    Export(
        "consultation-responses",
        _("Consultation responses"),
        _(
            "A consultation's responses with their answers and themes, and "
            "whether each is held for review as possible spam (XLSX)."
        ),
        LEADS | ADMINS,
        build=consultation_responses_sheets,
        form=ConsultationChoiceForm,
    ),
    Export(
        "audit-log",
        _("Audit log"),
        _(
            "Who did what and when: all of it here, or filtered as you choose "
            "on the audit log page (XLSX)."
        ),
        ADMINS,
        build=audit_log_sheets,
        form=AuditFilterForm,
    ),
]


def exports_for(user) -> list[Export]:
    return [export for export in EXPORTS if export.allowed(user)]


def get_export(name: str) -> Export | None:
    """The export of this name made here (as a report job), if any."""
    return next((e for e in EXPORTS if e.name == name and e.build), None)


def export_for_user(user, name: str) -> Export:
    """An export made here that this user may have; 404 for any other."""
    export = get_export(name)
    if export is None or not export.allowed(user):
        raise Http404
    return export


def filter_summary(form: forms.Form) -> str:
    """The choices made, in words, to tell one export's job from another's
    ("Sample round: 1 April 2025 to 31 March 2026 (confirmed)")."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ModelChoiceField):
            text = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            text = dict(field.choices).get(value, value)
        elif isinstance(value, datetime.date):
            text = format_date(value)
        else:
            text = value
        parts.append(f"{field.label}: {text}")
    return "; ".join(parts)


def filter_data(form: forms.Form) -> dict:
    """The submitted values of the form's fields, to bind it again in the job."""
    prefixes = tuple(form.fields)
    return {
        key: form.data.get(key)
        for key in form.data
        if key.startswith(prefixes) and form.data.get(key)
    }


def can_download(export: Export, user, job) -> bool:
    """The requester (or an administrator) who may still have the export,
    and, when it holds CRNs, is still Inspectorate staff."""
    if not (requester_or_admin(user, job) and export.allowed(user)):
        return False
    return crn_for(user) or not job.params.get("crn")


def _with_progress(sheets: dict[str, Sheet], progress, written: list) -> dict:
    total = sum(sheet.count for sheet in sheets.values()) or 1

    def counted(rows):
        for row in rows:
            written[0] += 1
            if written[0] % PROGRESS_EVERY == 0:
                progress(written[0] * 100 // total)
            yield row

    return {
        name: Table(sheet.header, counted(sheet.rows), zone=sheet.zone)
        for name, sheet in sheets.items()
    }


def export_build(export: Export, job, progress) -> Rendered:
    """Write the job's XLSX and audit it, as the user who asked for it."""
    form = export.form(data=job.params.get("filters", {}))
    if not form.is_valid():
        # What it names (a round, a consultation) has gone since the request.
        raise ValueError(f"Export {export.name}: its filters no longer apply")
    crn = bool(job.params.get("crn"))
    sheets = export.build(crn=crn, filters=form.cleaned_data)
    written = [0]
    buffer = io.BytesIO()
    write_xlsx(buffer, _with_progress(sheets, progress, written))
    audit_record(
        action=Action.DATA_EXPORTED,
        actor=job.requested_by,
        ip_address=job.params.get("ip"),
        target=job,
        details={
            "export": export.name,
            "filters": sorted(k for k, v in form.cleaned_data.items() if v),
            "rows": written[0],
            "crn": crn,
        },
    )
    progress(100)
    stamp = timezone.localdate().isoformat()
    return Rendered(
        content=buffer.getvalue(),
        filename=f"sfo-qa-{export.name}-{stamp}.xlsx",
        content_type=XLSX_TYPE,
    )
