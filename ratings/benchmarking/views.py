from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from ratings import views as rating_views
from ratings.benchmarking import permissions, selectors, services
from ratings.benchmarking.drift import drift as drift_figures
from ratings.benchmarking.forms import (
    ConsensusForm,
    InviteForm,
    NotesForm,
    ParticipantsForm,
    RevealForm,
    ReviewAddForm,
    SessionForm,
)
from ratings.benchmarking.results import OVERALL, session_results
from ratings.permissions import get_assessment_for_user
from ratings.sections import standard_status
from ratings.services import AlreadyDone
from reviews.forms.work import ConflictForm
from sfoqa.uploads import document_response


def _next_section(assessment, section):
    """After a standard, the next one; after the overall rating, the summary."""
    numbers = [row.standard.number for row in assessment.standards.all()]
    if section.startswith("standard-"):
        position = numbers.index(int(section.removeprefix("standard-"))) + 1
        if position < len(numbers):
            return reverse(
                "ratings:benchmark_standard",
                kwargs={"pk": assessment.pk, "number": numbers[position]},
            )
        return reverse("ratings:benchmark_overall", kwargs={"pk": assessment.pk})
    return reverse("ratings:benchmark_rating", kwargs={"pk": assessment.pk})


PAGES = rating_views.Pages(
    standard_template="ratings/benchmarking/standard.html",
    overall_template="ratings/benchmarking/overall.html",
    autosave="ratings:benchmark_autosave",
    back="ratings:benchmark_rating",
    next_url=_next_section,
)


def session_list(request):
    context = {
        "sessions": selectors.sessions_for(user=request.user),
        "can_create": request.user.has_role(*permissions.LEADS),
        "page_title": _("Benchmarking sessions"),
    }
    return render(request, "ratings/benchmarking/session_list.html", context)


def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.benchmark_session_create(
            by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("Session created: add reviews and participants"))
        return redirect("ratings:benchmark_session", pk=session.pk)
    context = {"form": form, "page_title": _("Create a benchmarking session")}
    return render(request, "ratings/benchmarking/session_form.html", context)


def _own_rows(session, user):
    """Each review of the session with the user's rating of it and its status."""
    own = selectors.own_assessments(session=session, user=user)
    return [
        (review, own.get(review.pk), selectors.rating_status(own.get(review.pk)))
        for review in session.reviews.all()
    ]


def session_detail(request, pk):
    session = permissions.get_session_for_user(request.user, pk)
    manage = permissions.can_manage(request.user, session)
    participant = permissions.is_participant(request.user, session)
    context = {
        "session": session,
        "manage": manage,
        "participant": participant,
        "own": _own_rows(session, request.user) if participant else [],
        "progress": selectors.progress(session=session) if manage else [],
        "reveal_missing": (
            selectors.reveal_missing(session=session)
            if manage and not session.is_revealed
            else None
        ),
        "page_title": session.title,
    }
    return render(request, "ratings/benchmarking/session_detail.html", context)


def _form_page(request, form, *, session, title, template="form_page.html"):
    context = {"form": form, "session": session, "page_title": title}
    return render(request, f"ratings/benchmarking/{template}", context)


def review_add(request, pk):
    session = permissions.get_session_for_user(request.user, pk, manage=True)
    form = ReviewAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.benchmark_review_add(
                session=session,
                by=request.user,
                title=data["title"],
                review=data.get("review") if data["source"] == "received" else None,
                upload=data.get("document") if data["source"] == "upload" else None,
                request=request,
            )
        except ValidationError as error:
            form.add_error(
                "reference" if data["source"] == "received" else None, error.messages[0]
            )
        else:
            messages.success(request, _("Review added to the session"))
            return redirect("ratings:benchmark_session", pk=session.pk)
    return _form_page(request, form, session=session, title=_("Add a review"))


def participants_add(request, pk):
    session = permissions.get_session_for_user(request.user, pk, manage=True)
    form = ParticipantsForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        added = services.benchmark_participants_add(
            session=session,
            by=request.user,
            users=form.cleaned_data["users"],
            request=request,
        )
        messages.success(
            request, _("%(count)s people added to the session") % {"count": added}
        )
        return redirect("ratings:benchmark_session", pk=session.pk)
    return _form_page(request, form, session=session, title=_("Add participants"))


def participant_invite(request, pk):
    session = permissions.get_session_for_user(request.user, pk, manage=True)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.benchmark_participant_invite(
                session=session, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error.messages[0])
        else:
            messages.success(
                request,
                _("Invitation sent: they can see only the sessions they are in"),
            )
            return redirect("ratings:benchmark_session", pk=session.pk)
    return _form_page(
        request, form, session=session, title=_("Invite someone from HMPPS")
    )


def reveal(request, pk):
    session = permissions.get_session_for_user(request.user, pk, manage=True)
    if session.is_revealed:
        return redirect("ratings:benchmark_results", pk=session.pk)
    form = RevealForm(request.POST or None)
    missing = selectors.reveal_missing(session=session)
    if request.method == "POST" and form.is_valid() and not missing:
        try:
            services.benchmark_session_reveal(
                session=session,
                by=request.user,
                anonymous=form.cleaned_data["anonymous"],
                request=request,
            )
        except AlreadyDone:
            messages.info(request, _("The ratings have already been revealed"))
        except ValidationError as error:
            missing = error.messages[0]
        else:
            messages.success(request, _("Ratings revealed and locked"))
        if not missing:
            return redirect("ratings:benchmark_results", pk=session.pk)
    context = {
        "form": form,
        "missing": missing,
        "session": session,
        "progress": selectors.progress(session=session),
        "page_title": (
            _("There is nothing to reveal yet") if missing else _("Reveal the ratings")
        ),
    }
    return render(request, "ratings/benchmarking/reveal.html", context)


def _results_viewed(request, session, **details):
    audit_record(
        action=Action.BENCHMARK_RESULTS_VIEWED,
        request=request,
        target=session,
        details=details,
    )


def results(request, pk):
    session = permissions.get_results_for_user(request.user, pk)
    _results_viewed(request, session)
    context = {
        "session": session,
        "results": session_results(session, viewer=request.user),
        "manage": permissions.can_manage(request.user, session),
        "page_title": _("Results: %(title)s") % {"title": session.title},
    }
    return render(request, "ratings/benchmarking/results.html", context)


def _revealed_review(request, pk, *, manage=False):
    session_review = permissions.get_session_review_for_user(
        request.user, pk, manage=manage
    )
    if not session_review.session.is_revealed:
        raise Http404
    return session_review


def review_results(request, pk):
    session_review = _revealed_review(request, pk)
    session = session_review.session
    _results_viewed(request, session, review=session_review.pk)
    figures = session_results(session, viewer=request.user)
    context = {
        "session": session,
        "session_review": session_review,
        "spreads": figures.review_spreads(session_review),
        "manage": permissions.can_manage(request.user, session),
        "page_title": session_review.title,
    }
    return render(request, "ratings/benchmarking/review_results.html", context)


def consensus(request, pk, section):
    session_review = _revealed_review(request, pk, manage=True)
    figures = session_results(session_review.session)
    found = [s for s in figures.sections if s.key == section]
    if not found:
        raise Http404
    spread = figures.spread(session_review, found[0])
    existing = spread.consensus
    form = ConsensusForm(
        request.POST or None,
        initial={"rating": existing.rating, "reasoning": existing.reasoning}
        if existing
        else None,
    )
    if request.method == "POST" and form.is_valid():
        services.benchmark_consensus_record(
            session_review=session_review,
            standard=found[0].standard,
            by=request.user,
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, _("Consensus rating saved"))
        url = reverse("ratings:benchmark_review_results", kwargs={"pk": pk})
        return redirect(f"{url}#{section}")
    context = {
        "form": form,
        "session": session_review.session,
        "session_review": session_review,
        "spread": spread,
        "page_title": _("Consensus: %(section)s") % {"section": found[0].title},
    }
    return render(request, "ratings/benchmarking/consensus.html", context)


def notes(request, pk):
    session_review = _revealed_review(request, pk, manage=True)
    form = NotesForm(
        request.POST or None, initial={"notes": session_review.discussion_notes}
    )
    if request.method == "POST" and form.is_valid():
        services.benchmark_notes_save(
            session_review=session_review,
            notes=form.cleaned_data["notes"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("Discussion notes saved"))
        return redirect("ratings:benchmark_review_results", pk=pk)
    return _form_page(
        request,
        form,
        session=session_review.session,
        title=_("Discussion notes: %(title)s") % {"title": session_review.title},
    )


def start(request, pk):
    session_review = permissions.get_session_review_to_rate(request.user, pk)
    assessment = services.benchmark_assessment_start(
        session_review=session_review, user=request.user
    )
    return redirect("ratings:benchmark_rating", pk=assessment.pk)


def declare(request, pk):
    """The conflict-of-interest declaration a session review's document needs."""
    session_review = permissions.get_session_review_to_declare(request.user, pk)
    session = session_review.session
    if permissions.own_declaration(request.user, session_review) is not None:
        return redirect("ratings:benchmark_session", pk=session.pk)
    form = ConflictForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.benchmark_declare(
            session_review=session_review,
            by=request.user,
            request=request,
            **form.cleaned_data,
        )
        if form.cleaned_data["has_conflict"]:
            messages.success(
                request,
                _("Conflict recorded: you will not see or rate %(title)s")
                % {"title": session_review.title},
            )
        else:
            messages.success(
                request, _("Declaration recorded: the document is open to you")
            )
        return redirect("ratings:benchmark_session", pk=session.pk)
    return _form_page(
        request,
        form,
        session=session,
        title=_("Declare any conflict of interest: %(title)s")
        % {"title": session_review.title},
    )


def document(request, pk):
    session_review, declared = permissions.get_document_for_user(request.user, pk)
    if not declared:
        return redirect("ratings:benchmark_declare", pk=session_review.pk)
    audit_record(
        action=Action.BENCHMARK_DOCUMENT_DOWNLOADED,
        request=request,
        target=session_review.session,
        details={"review": session_review.pk},
    )
    if session_review.document:
        source = session_review.document
        return document_response(
            storage_name=source.storage_name,
            download_name=source.display_name,
            content_type=source.content_type,
        )
    if not session_review.storage_name:
        raise Http404
    return document_response(
        storage_name=session_review.storage_name,
        download_name=session_review.display_name,
        content_type=session_review.content_type,
    )


def _sections(assessment):
    """(title, URL, status) of each section of the participant's rating."""
    rows = [
        (
            f"{row.standard.number}. {row.standard.name}",
            reverse(
                "ratings:benchmark_standard",
                kwargs={"pk": assessment.pk, "number": row.standard.number},
            ),
            standard_status(row),
        )
        for row in assessment.standards.all()
    ]
    overall_done = assessment.overall_rating is not None
    rows.append(
        (
            _("Overall rating"),
            reverse("ratings:benchmark_overall", kwargs={"pk": assessment.pk}),
            "completed" if overall_done else "not_started",
        )
    )
    return rows


def rating(request, pk):
    """A participant's own rating of a session review: sections, or a summary."""
    assessment = get_assessment_for_user(request.user, pk, benchmark=True)
    audit_record(action=Action.ASSESSMENT_VIEWED, request=request, target=assessment)
    context = {
        "assessment": assessment,
        "session_review": assessment.session_review,
        "session": assessment.session_review.session,
        "editable": assessment.is_editable
        and assessment.inspector_id == request.user.pk,
        "sections": _sections(assessment),
        "overall": OVERALL,
        "page_title": _("Your rating of %(title)s")
        % {"title": assessment.session_review.title}
        if assessment.inspector_id == request.user.pk
        else _("Rating of %(title)s") % {"title": assessment.session_review.title},
    }
    return render(request, "ratings/benchmarking/rating.html", context)


def standard(request, pk, number):
    # Read-only once revealed (the page says why); only a save needs to write.
    write = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, write=write, benchmark=True)
    return rating_views.standard_page(request, assessment, number, pages=PAGES)


def overall(request, pk):
    write = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, write=write, benchmark=True)
    return rating_views.overall_page(request, assessment, pages=PAGES)


def autosave(request, pk, section):
    assessment = get_assessment_for_user(
        request.user,
        pk,
        write=True,
        benchmark=True,
        load=rating_views.loader_to_save(section),
    )
    return rating_views.autosave_response(request, assessment, section)


def report(request, pk):
    session = permissions.get_results_for_user(request.user, pk)
    job = services.benchmark_report_request(
        session=session, by=request.user, request=request
    )
    messages.success(request, _("The session report is being made"))
    return redirect("reports:job_detail", pk=job.pk)


def drift(request):
    context = {
        "drift": drift_figures(),
        "page_title": _("Agreement across sessions"),
    }
    return render(request, "ratings/benchmarking/drift.html", context)
