from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms.models import model_to_dict
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from ratings import conflicts, selectors, services
from ratings.forms import (
    FindingForm,
    ModerationForm,
    OverallForm,
    ReasonForm,
    StandardForm,
    SubmitForm,
)
from ratings.models import Assessment, Rating
from ratings.permissions import (
    MODERATORS,
    get_assessment_for_user,
    get_assessment_to_moderate,
)
from ratings.sections import (
    latest_comments,
    moderation_sections,
    next_section_url,
    read_only_reason,
    standard_row,
    task_list,
)
from ratings.tables import MINE_TABLE, PUBLISHED_TABLE, TO_PUBLISH_TABLE, WAITING_TABLE
from reviews.permissions import get_allocation_for_user
from sfoqa.keyset import Listing, keyset_page, query_without_cursor
from sfoqa.params import required_int, whole_number
from sfoqa.prepared import generic_plans


# Lists read in index order: one plan suits every value (sfoqa.prepared).
@generic_plans()
def my_assessments(request):
    page = keyset_page(
        Listing(
            Assessment, selectors.assessments_of, {"inspector_id": request.user.pk}
        ),
        keys=selectors.MINE_KEYS,
        params=request.GET,
        query=query_without_cursor(request.GET),
    )
    rows = selectors.my_rows(page.object_list)
    context = {
        "allocations": selectors.to_start_rows(inspector_id=request.user.pk),
        "page": page,
        "assessments": rows,
        "table": MINE_TABLE.render(rows, caption=_("Your assessments")),
        "page_title": _("Your quality assurance work"),
    }
    return render(request, "ratings/my_assessments.html", context)


def start(request, review_pk):
    allocation = get_allocation_for_user(request.user, review_pk)
    assessment = services.assessment_start(allocation=allocation)
    return redirect("ratings:task_list", pk=assessment.pk)


def _viewed(request, assessment):
    audit_record(action=Action.ASSESSMENT_VIEWED, request=request, target=assessment)


def task_list_view(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    _viewed(request, assessment)
    context = {
        "assessment": assessment,
        "sections": task_list(assessment),
        "comments": latest_comments(assessment),
        "page_title": _("Quality assurance of %(ref)s") % {"ref": assessment.review},
    }
    return render(request, "ratings/task_list.html", context)


def conflict_response(request, form, *, theirs, context, found=None):
    """
    Someone else saved first: show both versions field by field, keep
    everything typed, and let the writer choose, against the new version.
    """
    if found is None:
        found = conflicts.differences(form, request.POST, theirs)
    context |= {
        "differences": found,
        "unresolved": [d for d in found if d.error],
        "mine_fields": conflicts.mine_fields(form, request.POST),
        "lock_version": context["assessment"].lock_version,
        "page_title": _("Someone else changed this assessment"),
    }
    return render(request, "ratings/edit_conflict.html", context, status=409)


def _bound(request, make_form, theirs):
    """
    The posted form, with the choices made on a conflict page applied; and
    the differences still to choose, when some are.
    """
    if request.method != "POST":
        return make_form(None), None
    if "resolve_conflict" not in request.POST:
        return make_form(request.POST), None
    data, found = conflicts.resolve(make_form(None), request.POST, theirs)
    if any(d.error for d in found):
        return make_form(request.POST), found
    return make_form(data), None


def read_only_page(request, assessment, reason, *, pages, **context):
    """A section the user may read but not change, and why."""
    context |= {
        "assessment": assessment,
        "reason": reason,
        "back_url": reverse(pages.back, kwargs={"pk": assessment.pk}),
    }
    return render(request, "ratings/section_read_only.html", context)


@dataclass(frozen=True)
class Pages:
    """Where the rating pages of a kind of assessment live and lead."""

    standard_template: str = "ratings/standard.html"
    overall_template: str = "ratings/overall.html"
    autosave: str = "ratings:autosave"
    # The page listing the sections, the back link of a read-only section.
    back: str = "ratings:task_list"
    # next_url(assessment, section) -> where "Save and continue" goes.
    next_url: Callable = next_section_url


LIVE = Pages()


# The rating forms show the review document beside them, framed from our origin.
BESIDE_THE_DOCUMENT = csp_replace({"frame-src": [SELF]})


# Every query reads by keys and ids: one plan suits all (sfoqa.prepared).
@BESIDE_THE_DOCUMENT
@generic_plans()
def standard(request, pk, number):
    write = request.method == "POST"
    # Showing the form needs only this standard; a save reads them all (to
    # say where "Save and continue" goes).
    load = (
        selectors.assessment_full
        if write
        else partial(selectors.assessment_for_standard, number=number)
    )
    assessment = get_assessment_for_user(request.user, pk, write=write, load=load)
    return standard_page(request, assessment, number, pages=LIVE)


def standard_page(request, assessment, number, *, pages: Pages):
    """The rating form of one standard, for a live or a benchmarking assessment."""
    row = standard_row(assessment, number)
    if reason := read_only_reason(assessment, request.user):
        return read_only_page(
            request, assessment, reason, pages=pages, rows=[row],
            page_title=row.standard.name,
        )  # fmt: skip
    initial = {
        "lock_version": assessment.lock_version,
        **{name: getattr(row, name) for name in services.STANDARD_FIELDS},
        **{f"answer_{a.prompt_id}": a.answer for a in row.answers.all()},
        **{f"note_{a.prompt_id}": a.note for a in row.answers.all()},
    }
    form, found = _bound(
        request,
        lambda data: StandardForm(data, initial=initial, standard_assessment=row),
        initial,
    )
    context = {
        "assessment": assessment,
        "row": row,
        "comments": latest_comments(assessment).get(f"standard-{number}", []),
        "autosave_url": _autosave_url(assessment, f"standard-{number}", pages),
        "page_title": row.standard.name,
    }
    if found:
        return conflict_response(
            request, form, theirs=initial, context=context, found=found
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_standard_save(
                assessment=assessment,
                standard=row,
                values=form.values(),
                answers=form.answers(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except services.EditConflict:
            return conflict_response(request, form, theirs=initial, context=context)
        return _saved(request, assessment, f"standard-{number}", pages)
    return render(request, pages.standard_template, context | {"form": form})


def _autosave_url(assessment, section, pages: Pages):
    return reverse(pages.autosave, kwargs={"pk": assessment.pk, "section": section})


def _saved(request, assessment, section, pages: Pages):
    if "save" in request.POST:
        messages.success(request, _("Your changes have been saved"))
        return redirect(request.path)
    return redirect(pages.next_url(assessment, section))


def autosave(request, pk, section):
    assessment = get_assessment_for_user(
        request.user, pk, write=True, load=loader_to_save(section)
    )
    return autosave_response(request, assessment, section)


def _standard_number(section: str) -> int | None:
    """The standard a section such as "standard-2" names; None for any other."""
    if not section.startswith("standard-"):
        return None
    return whole_number(section.removeprefix("standard-"), lowest=1)


def loader_to_save(section: str) -> Callable:
    """What a background save of `section` reads: a standard's, that
    standard alone; the overall rating's (or an unknown section's, which
    autosave_response refuses), every standard and the policy."""
    if (number := _standard_number(section)) is not None:
        return partial(selectors.assessment_to_save_standard, number=number)
    return selectors.assessment_to_save


def autosave_response(request, assessment, section):
    """Save a section in the background (progressive enhancement)."""
    if section.startswith("standard-"):
        number = _standard_number(section)
        if number is None:
            raise Http404
        row = standard_row(assessment, number)
        form = StandardForm(request.POST, standard_assessment=row)
        save = lambda: services.assessment_standard_save(  # noqa: E731
            assessment=assessment, standard=row, values=form.values(),
            answers=form.answers(), lock_version=form.cleaned_data["lock_version"],
        )  # fmt: skip
    elif section == "overall":
        form = OverallForm(
            request.POST, suggestion=services.overall_suggestion(assessment)
        )
        save = lambda: _save_overall(assessment, form)  # noqa: E731
    else:
        raise Http404
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors}, status=422)
    try:
        save()
    except services.EditConflict:
        return JsonResponse({"saved": False, "conflict": True}, status=409)
    except ValidationError:
        return JsonResponse({"saved": False}, status=422)
    return JsonResponse({"saved": True, "lock_version": assessment.lock_version})


def _save_overall(assessment, form):
    data = form.cleaned_data
    services.assessment_overall_save(
        assessment=assessment,
        overall_rating=data["overall_rating"],
        overall_reason=data["overall_reason"],
        departure_reason=data["departure_reason"],
        lock_version=data["lock_version"],
    )


@BESIDE_THE_DOCUMENT
def overall(request, pk):
    write = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, write=write)
    return overall_page(request, assessment, pages=LIVE)


def overall_page(request, assessment, *, pages: Pages):
    """The overall rating form, for a live or a benchmarking assessment."""
    if reason := read_only_reason(assessment, request.user):
        return read_only_page(
            request, assessment, reason, pages=pages, overall=True,
            page_title=_("Overall rating"),
        )  # fmt: skip
    suggestion = services.overall_suggestion(assessment)
    initial = {
        "lock_version": assessment.lock_version,
        "overall_rating": assessment.overall_rating,
        "overall_reason": assessment.overall_reason,
        "departure_reason": assessment.departure_reason,
    }
    form, found = _bound(
        request,
        lambda data: OverallForm(data, initial=initial, suggestion=suggestion),
        initial,
    )
    context = {
        "assessment": assessment,
        "suggestion": suggestion,
        "suggestion_label": Rating(suggestion).label if suggestion is not None else "",
        "comments": latest_comments(assessment).get("overall", []),
        "autosave_url": _autosave_url(assessment, "overall", pages),
        "page_title": _("Overall rating"),
    }
    if found:
        return conflict_response(
            request, form, theirs=initial, context=context, found=found
        )
    if request.method == "POST" and form.is_valid():
        try:
            _save_overall(assessment, form)
        except services.EditConflict:
            return conflict_response(request, form, theirs=initial, context=context)
        return _saved(request, assessment, "overall", pages)
    return render(request, pages.overall_template, context | {"form": form})


def findings(request, pk):
    posted = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, write=posted)
    context = {
        "assessment": assessment,
        "comments": latest_comments(assessment).get("findings", []),
        "confirmed": selectors.findings_confirmed(assessment),
        "read_only": read_only_reason(assessment, request.user),
        "page_title": _("Findings"),
    }
    if posted:
        try:
            services.assessment_findings_confirm(
                assessment=assessment, by=request.user, request=request
            )
        except ValidationError as error:
            context["confirm_error"] = error.messages[0]
        else:
            messages.success(request, _("Findings marked as complete"))
            return redirect("ratings:overall", pk=assessment.pk)
    return render(request, "ratings/findings.html", context)


def finding_edit(request, pk, finding_pk=None):
    assessment = get_assessment_for_user(request.user, pk, write=True)
    finding = (
        get_object_or_404(assessment.findings.all(), pk=finding_pk)
        if finding_pk is not None
        else None
    )
    theirs = model_to_dict(finding, FindingForm.Meta.fields) if finding else None
    form, found = _bound(
        request,
        lambda data: FindingForm(
            data, instance=finding, initial={"lock_version": assessment.lock_version}
        ),
        theirs,
    )
    context = {
        "assessment": assessment,
        "page_title": _("Change a finding") if finding else _("Add a finding"),
    }
    if found:
        return conflict_response(
            request, form, theirs=theirs, context=context, found=found
        )
    if request.method == "POST" and form.is_valid():
        values = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("themes", "lock_version")
        }
        try:
            services.finding_save(
                assessment=assessment,
                finding=finding,
                values=values,
                themes=form.cleaned_data["themes"],
                lock_version=form.cleaned_data["lock_version"],
            )
        except services.EditConflict:
            return conflict_response(request, form, theirs=theirs, context=context)
        messages.success(request, _("Finding saved"))
        return redirect("ratings:findings", pk=assessment.pk)
    return render(request, "ratings/finding_form.html", context | {"form": form})


def finding_delete(request, pk, finding_pk):
    assessment = get_assessment_for_user(request.user, pk, write=True)
    finding = get_object_or_404(assessment.findings.all(), pk=finding_pk)
    try:
        services.finding_delete(
            assessment=assessment,
            finding=finding,
            lock_version=required_int(request.POST, "lock_version"),
        )
    except services.EditConflict:
        messages.error(
            request, _("Someone else changed this assessment: check and try again")
        )
    else:
        messages.success(request, _("Finding removed"))
    return redirect("ratings:findings", pk=assessment.pk)


def check(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    form = SubmitForm(
        request.POST or None, initial={"lock_version": assessment.lock_version}
    )
    warnings = services.consistency_warnings(assessment)
    context = {
        "assessment": assessment,
        "form": form,
        "missing": services.missing_sections(assessment),
        "warnings": warnings,
        "page_title": _("Check your answers before submitting"),
    }
    if request.method == "POST":
        get_assessment_for_user(request.user, pk, write=True)
        if form.is_valid():
            return _submit(request, assessment, form, context)
    return render(request, "ratings/check.html", context)


def _submit(request, assessment, form, context):
    try:
        pending = services.assessment_submit(
            assessment=assessment,
            by=request.user,
            lock_version=form.cleaned_data["lock_version"],
            warnings_confirmed=form.cleaned_data["confirm"],
            request=request,
        )
    except services.EditConflict:
        messages.error(
            request, _("Someone else changed this assessment: check it again")
        )
        return redirect("ratings:check", pk=assessment.pk)
    except ValidationError as error:
        context["missing"] = error.messages
        return render(request, "ratings/check.html", context)
    if pending:
        form.add_error("confirm", _("Confirm that you have checked these points"))
        return render(request, "ratings/check.html", context)
    messages.success(request, _("Assessment submitted for moderation"))
    return redirect("ratings:task_list", pk=assessment.pk)


# Lists read in index order: one plan suits every value (sfoqa.prepared).
@generic_plans()
def moderation_queue(request):
    # Each section pages on its own: its links keep the other's place.
    waiting = keyset_page(
        Listing(Assessment, selectors.moderation_queue),
        keys=selectors.MODERATION_KEYS,
        params=request.GET,
        query=query_without_cursor(request.GET, prefix="waiting-"),
        prefix="waiting-",
    )
    to_publish = keyset_page(
        Listing(Assessment, selectors.signed_off),
        keys=selectors.TO_PUBLISH_KEYS,
        params=request.GET,
        query=query_without_cursor(request.GET, prefix="publish-"),
        prefix="publish-",
    )
    rows = selectors.moderation_rows(waiting.object_list, user_id=request.user.pk)
    publish_rows = selectors.to_publish_rows(to_publish.object_list)
    context = {
        "waiting": waiting,
        "assessments": rows,
        "waiting_table": WAITING_TABLE.render(
            rows,
            caption=_("Assessments waiting for moderation, oldest first"),
            scroll_label=_("Waiting for moderation"),
        ),
        "publish_page": to_publish,
        "to_publish": publish_rows,
        "to_publish_table": TO_PUBLISH_TABLE.render(
            publish_rows,
            caption=_("Signed-off assessments waiting to be published, oldest first"),
            scroll_label=_("Signed off, to publish"),
        ),
        "page_title": _("Moderation"),
    }
    return render(request, "ratings/moderation_queue.html", context)


def moderate(request, pk):
    assessment = get_assessment_to_moderate(request.user, pk)
    form = ModerationForm(
        request.POST or None, sections=moderation_sections(assessment)
    )
    context = {"assessment": assessment, "form": form, "page_title": _("Moderate")}
    if request.method != "POST":
        _viewed(request, assessment)
    elif form.is_valid():
        try:
            if "return" in request.POST:
                services.assessment_return(
                    assessment=assessment,
                    by=request.user,
                    comments=form.comments(),
                    request=request,
                )
                messages.success(
                    request, _("Returned to the inspector with your comments")
                )
            else:
                services.assessment_sign_off(
                    assessment=assessment, by=request.user, request=request
                )
                messages.success(request, _("Assessment signed off"))
        except services.AlreadyDone:
            messages.info(request, _("This assessment has already been signed off"))
            return redirect("ratings:moderation_queue")
        except ValidationError as error:
            # No comments to return with: the summary links to the first box.
            first_box = None if form.comments() else next(iter(form.fields), None)
            form.add_error(first_box, error)
        else:
            return redirect("ratings:moderation_queue")
    return render(request, "ratings/moderate.html", context)


def _already_published(request, assessment):
    """Answer a second Publish click with the publication the first one made."""
    messages.info(request, _("This report has already been published"))
    latest = assessment.publications.order_by("-number").first()
    if latest is None or latest.report_job_id is None:
        return redirect("ratings:history", pk=assessment.pk)
    return redirect("reports:job_detail", pk=latest.report_job_id)


def publish(request, pk):
    assessment = get_assessment_to_moderate(request.user, pk)
    if assessment.status == Assessment.Status.PUBLISHED:
        return _already_published(request, assessment)
    republishing = assessment.publications.exists()
    form = ReasonForm(
        request.POST or None,
        ask=republishing,
        label=_("Why is the rating being published again?"),
        submit_label=_("Publish and send to HMPPS"),
    )
    context = {
        "assessment": assessment,
        "form": form,
        "republishing": republishing,
        "page_title": _("Publish the quality assurance report"),
    }
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.assessment_publish(
                assessment=assessment,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                request=request,
            )
        except (services.AlreadyDone, IntegrityError):
            return _already_published(request, assessment)
        except ValidationError as error:
            form.add_error("reason", error.messages[0])
        else:
            messages.success(
                request,
                _("Published. The report will be ready shortly. HMPPS will be told."),
            )
            return redirect("reports:job_detail", pk=publication.report_job_id)
    return render(request, "ratings/publish.html", context)


def reopen(request, pk):
    assessment = get_assessment_to_moderate(request.user, pk)
    form = ReasonForm(
        request.POST or None,
        label=_("Why does the published rating need to change?"),
        submit_label=_("Reopen for change"),
    )
    context = {
        "assessment": assessment,
        "form": form,
        "page_title": _("Change a published rating"),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("reason", error.messages[0])
        else:
            messages.success(
                request, _("Reopened: the inspector can now change the assessment")
            )
            return redirect("ratings:task_list", pk=assessment.pk)
    return render(request, "ratings/reopen.html", context)


def history(request, pk):
    assessment = get_assessment_for_user(request.user, pk)
    context = {
        "assessment": assessment,
        "versions": selectors.versions(assessment=assessment),
        "publications": assessment.publications.select_related("published_by"),
        "page_title": _("Versions of this assessment"),
    }
    return render(request, "ratings/history.html", context)


# Lists read in index order: one plan suits every value (sfoqa.prepared).
@generic_plans()
def published_list(request):
    user = request.user
    # HMPPS users see their own organisation's reports; leads see them all.
    organisation = None if user.has_role(*MODERATORS) else (user.organisation_id or 0)
    page = keyset_page(
        Listing(
            Assessment,
            selectors.published,
            {} if organisation is None else {"organisation_id": organisation},
        ),
        keys=selectors.PUBLISHED_KEYS,
        params=request.GET,
        query=query_without_cursor(request.GET),
    )
    rows = selectors.published_rows(page.object_list)
    title = _("Published quality assurance reports")
    context = {
        "page": page,
        "rows": rows,
        "table": PUBLISHED_TABLE.render(rows, caption=title),
        "page_title": title,
    }
    return render(request, "ratings/published_list.html", context)
