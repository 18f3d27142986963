"""The sections of an assessment, for its task list and its navigation."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ratings import selectors
from ratings.models import Assessment, StandardAssessment


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url: str
    status: str  # "completed", "in_progress", "not_started"


def standard_row(assessment: Assessment, number: int) -> StandardAssessment:
    for row in assessment.standards.all():
        if row.standard.number == number:
            return row
    raise Http404


def standard_status(row: StandardAssessment) -> str:
    if row.rating is not None and row.evidence.strip():
        return "completed"
    touched = (
        row.rating is not None
        or any(
            (getattr(row, name) or "").strip()
            for name in ("evidence", "strengths", "improvements")
        )
        or any(answer.answer for answer in row.answers.all())
    )
    return "in_progress" if touched else "not_started"


def findings_status(assessment: Assessment) -> str:
    """Complete once findings exist and the inspector has said they are all in."""
    if not assessment.findings.all():
        return "not_started"
    if assessment.status not in (Assessment.Status.DRAFT, Assessment.Status.RETURNED):
        return "completed"  # submitted with these findings: no more to add
    return "completed" if selectors.findings_confirmed(assessment) else "in_progress"


def task_list(assessment: Assessment) -> list[Section]:
    pk = assessment.pk
    sections = [
        Section(
            key=f"standard-{row.standard.number}",
            title=f"{row.standard.number}. {row.standard.name}",
            url=reverse(
                "ratings:standard", kwargs={"pk": pk, "number": row.standard.number}
            ),
            status=standard_status(row),
        )
        for row in assessment.standards.all()
    ]
    sections.append(
        Section(
            key="findings",
            title=_("Findings"),
            url=reverse("ratings:findings", kwargs={"pk": pk}),
            status=findings_status(assessment),
        )
    )
    overall_done = (
        assessment.overall_rating is not None and assessment.overall_reason.strip()
    )
    sections.append(
        Section(
            key="overall",
            title=_("Overall rating"),
            url=reverse("ratings:overall", kwargs={"pk": pk}),
            status="completed" if overall_done else "not_started",
        )
    )
    return sections


def next_section_url(assessment: Assessment, section: str) -> str:
    """Where "save and continue" goes: the next section, then the check page."""
    sections = task_list(assessment)
    keys = [s.key for s in sections]
    position = keys.index(section) + 1
    if position < len(keys):
        return sections[position].url
    return reverse("ratings:check", kwargs={"pk": assessment.pk})


def latest_comments(assessment: Assessment) -> dict[str, list]:
    """The moderator's comments from the latest round, by section."""
    comments = list(assessment.moderation_comments.all())
    if not comments:
        return {}
    latest = max(c.round for c in comments)
    by_section: dict[str, list] = {}
    for comment in comments:
        if comment.round == latest:
            by_section.setdefault(comment.section, []).append(comment)
    return by_section


def moderation_sections(assessment: Assessment) -> list[tuple[str, str]]:
    return [
        (s.key, _("Comment on %(title)s") % {"title": s.title})
        for s in task_list(assessment)
    ]


def read_only_reason(assessment: Assessment, user) -> str:
    """Why this user cannot change the assessment now; empty when they can."""
    Status = Assessment.Status
    if assessment.inspector_id != user.pk:
        return _("This is %(name)s's assessment: only they can change it.") % {
            "name": assessment.inspector.full_name
        }
    reasons = {
        Status.SUBMITTED: _(
            "You submitted this assessment for moderation, so it cannot be "
            "changed. If the moderator returns it, you can change it then."
        ),
        Status.SIGNED_OFF: _(
            "This assessment has been signed off, so it cannot be changed."
        ),
        Status.PUBLISHED: _(
            "This assessment has been published, so it cannot be changed. "
            "A lead inspector can reopen it if the rating must change."
        ),
        Status.LOCKED: _(
            "The session's ratings have been revealed, so your rating is locked "
            "and cannot be changed."
        ),
    }
    return reasons.get(assessment.status, "")
