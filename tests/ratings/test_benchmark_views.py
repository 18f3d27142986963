"""Benchmarking pages: setting up, rating blind, revealing, agreeing, reporting."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from accounts.roles import Role
from ratings.benchmarking import services
from ratings.models import Assessment, BenchmarkSession, Consensus, SessionReview
from reports.models import ReportJob
from reviews.models import Review
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.ratings.benchmarking import (
    make_revealed_session,
    make_session,
    participants,
    rate,
)
from tests.reviews.factories import ReviewFactory, add_document, unique_pdf

pytestmark = pytest.mark.django_db


def client_of(client, user):
    return sign_in(client, user)


def test_a_lead_creates_a_session_and_adds_reviews_and_participants(client_for, users):
    lead = client_for(Role.LEAD_INSPECTOR)
    response = lead.post(
        reverse("ratings:benchmark_create"),
        {"title": "Spring", "held_on_0": "27", "held_on_1": "3", "held_on_2": "2026"},
    )
    session = BenchmarkSession.objects.get()
    assert response.url == reverse(
        "ratings:benchmark_session", kwargs={"pk": session.pk}
    )
    assert (session.facilitator, session.held_on) == (
        users[Role.LEAD_INSPECTOR],
        datetime.date(2026, 3, 27),
    )
    review = ReviewFactory()
    add_document(review)
    add = reverse("ratings:benchmark_review_add", kwargs={"pk": session.pk})
    lead.post(
        add,
        {
            "title": "Review A",
            "source": "received",
            "reference": review.hmpps_reference,
        },
    )
    upload = SimpleUploadedFile("anon.pdf", unique_pdf("anonymised"), "application/pdf")
    lead.post(add, {"title": "Review B", "source": "upload", "document": upload})
    assert list(session.reviews.values_list("title", "review")) == [
        ("Review A", review.pk),
        ("Review B", None),
    ]
    assert session.reviews.get(title="Review B").storage_name.startswith(
        "benchmarking/"
    )
    lead.post(
        reverse("ratings:benchmark_participants_add", kwargs={"pk": session.pk}),
        {"users": [users[Role.INSPECTOR].pk]},
    )
    lead.post(
        reverse("ratings:benchmark_participant_invite", kwargs={"pk": session.pk}),
        {"full_name": "Sam Reviewer", "email": "sam@example.org"},
    )
    invited = session.participants.get(user__email="sam@example.org").user
    assert invited.roles == frozenset({Role.BENCHMARK_PARTICIPANT})
    assert session.participants.count() == 2


def test_adding_an_unknown_reference_shows_an_error(client_for, users):
    session = make_session(users, reviews=0)
    response = client_for(Role.LEAD_INSPECTOR).post(
        reverse("ratings:benchmark_review_add", kwargs={"pk": session.pk}),
        {"title": "Review A", "source": "received", "reference": "NOPE"},
    )
    assert response.status_code == 200
    assert "Enter the HMPPS reference of a received review" in response.content.decode()
    assert not session.reviews.exists()


def test_a_participant_rates_with_the_live_rating_form(client, users):
    session = make_session(users)
    inspector = client_of(client, users[Role.INSPECTOR])
    review = session.reviews.first()
    response = inspector.post(
        reverse("ratings:benchmark_start", kwargs={"pk": review.pk})
    )
    assessment = Assessment.objects.get(session_review=review)
    assert response.url == reverse(
        "ratings:benchmark_rating", kwargs={"pk": assessment.pk}
    )
    assert assessment.allocation is None and assessment.review == review.review
    url = reverse(
        "ratings:benchmark_standard", kwargs={"pk": assessment.pk, "number": 1}
    )
    page = inspector.get(url).content.decode()
    assert "A thorough, objective and insightful analysis" in page  # descriptors
    row = assessment.standards.first()
    data = {"lock_version": assessment.lock_version, "continue": "1", "rating": "1",
            "evidence": "Says what, not why (p.9)"}  # fmt: skip
    for answer in row.answers.all():
        data[f"answer_{answer.prompt_id}"] = "partly"
    response = inspector.post(url, data)
    assert response.url == reverse(
        "ratings:benchmark_standard", kwargs={"pk": assessment.pk, "number": 2}
    )
    row.refresh_from_db()
    assert (row.rating, row.evidence) == (1, "Says what, not why (p.9)")
    autosave = reverse(
        "ratings:benchmark_autosave", kwargs={"pk": assessment.pk, "section": "overall"}
    )
    assessment.refresh_from_db()
    response = inspector.post(
        autosave, {"lock_version": assessment.lock_version, "overall_reason": "Draft"}
    )
    assert response.json()["saved"] is True
    assessment.refresh_from_db()
    assert assessment.overall_reason == "Draft"


def test_a_second_start_reuses_the_same_rating(users):
    session = make_session(users)
    review = session.reviews.first()
    first = services.benchmark_assessment_start(
        session_review=review, user=users[Role.INSPECTOR]
    )
    again = services.benchmark_assessment_start(
        session_review=review, user=users[Role.INSPECTOR]
    )
    assert first.pk == again.pk


def test_someone_not_invited_cannot_start_rating(client_for, users):
    session = make_session(users)
    outsider = UserFactory(roles=[Role.BENCHMARK_PARTICIPANT])
    from django.test import Client

    response = sign_in(Client(), outsider).post(
        reverse("ratings:benchmark_start", kwargs={"pk": session.reviews.first().pk})
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


# Blindness: before the reveal nobody sees anybody else's rating.


def _rated_open_session(users):
    session = make_session(users)
    people = participants(session)
    rate(session, people[1], [(3, 3, 3, 3), (0, 0, 0, 0)])
    return session, people


def _assessment_urls(assessment):
    pk = assessment.pk
    live = [
        reverse("ratings:task_list", kwargs={"pk": pk}),
        reverse("ratings:check", kwargs={"pk": pk}),
        reverse("ratings:history", kwargs={"pk": pk}),
        reverse("ratings:findings", kwargs={"pk": pk}),
        reverse("ratings:standard", kwargs={"pk": pk, "number": 1}),
        reverse("ratings:overall", kwargs={"pk": pk}),
        reverse("ratings:moderate", kwargs={"pk": pk}),
    ]
    benchmark = [
        reverse("ratings:benchmark_rating", kwargs={"pk": pk}),
        reverse("ratings:benchmark_standard", kwargs={"pk": pk, "number": 1}),
        reverse("ratings:benchmark_overall", kwargs={"pk": pk}),
    ]
    return live, benchmark


def _session_urls(session):
    review = session.reviews.first()
    return [
        reverse("ratings:benchmark_results", kwargs={"pk": session.pk}),
        reverse("ratings:benchmark_review_results", kwargs={"pk": review.pk}),
        reverse(
            "ratings:benchmark_consensus",
            kwargs={"pk": review.pk, "section": "standard-1"},
        ),
        reverse("ratings:benchmark_notes", kwargs={"pk": review.pk}),
    ]


SECRET = "Evidence of"


@pytest.mark.parametrize(
    "viewer", ["participant", "lead", "admin", "inspector_outsider"]
)
def test_before_the_reveal_no_url_shows_another_participants_rating(
    client, users, viewer
):
    session, people = _rated_open_session(users)
    someone_else = (
        Assessment.objects.filter(inspector=people[1])
        .order_by("session_review__position")
        .first()
    )
    user = {
        "participant": people[0],
        "lead": users[Role.LEAD_INSPECTOR],
        "admin": users[Role.ADMIN],
        "inspector_outsider": UserFactory(roles=[Role.INSPECTOR]),
    }[viewer]
    signed_in = client_of(client, user)
    live, benchmark = _assessment_urls(someone_else)
    for url in live + benchmark + _session_urls(session):
        response = signed_in.get(url)
        assert response.status_code in (403, 404), url
    autosave = reverse(
        "ratings:benchmark_autosave",
        kwargs={"pk": someone_else.pk, "section": "standard-1"},
    )
    assert signed_in.post(autosave, {"lock_version": 1}).status_code in (403, 404)
    report = reverse("ratings:benchmark_report", kwargs={"pk": session.pk})
    assert signed_in.post(report).status_code in (403, 404)
    for url in [
        reverse("ratings:benchmark_list"),
        reverse("ratings:benchmark_session", kwargs={"pk": session.pk}),
        reverse("ratings:my_assessments"),
        reverse("ratings:moderation_queue"),
        reverse("ratings:published_list"),
    ]:
        page = signed_in.get(url).content.decode()
        assert SECRET not in page, url
    assert not ReportJob.objects.exists()


def test_before_the_reveal_a_report_job_for_the_session_cannot_be_downloaded(
    client_for, users
):
    session, _people = _rated_open_session(users)
    job = ReportJob.objects.create(
        kind="benchmark_report",
        params={"session": session.pk},
        requested_by=users[Role.LEAD_INSPECTOR],
        status=ReportJob.Status.DONE,
    )
    for role in (Role.LEAD_INSPECTOR, Role.INSPECTOR, Role.ADMIN):
        client = client_for(role)
        for name in (
            "reports:job_detail",
            "reports:job_download",
            "reports:job_status",
        ):
            response = client.get(reverse(name, kwargs={"pk": job.pk}))
            assert response.status_code == 404, (role, name)


def test_a_participants_own_rating_is_theirs_alone_and_never_a_live_assessment(
    client, users
):
    _session, people = _rated_open_session(users)
    own = (
        Assessment.objects.filter(inspector=people[1])
        .order_by("session_review__position")
        .first()
    )
    signed_in = client_of(client, people[1])
    assert (
        signed_in.get(
            reverse("ratings:benchmark_rating", kwargs={"pk": own.pk})
        ).status_code
        == 200
    )
    live, _benchmark = _assessment_urls(own)
    for url in live:
        assert signed_in.get(url).status_code in (403, 404), url


def test_benchmark_ratings_never_appear_in_live_lists(client_for, users):
    session, people = _rated_open_session(users)
    rate(session, people[0], [(2, 2, 2, 2), (2, 2, 2, 2)])
    page = client_for(Role.INSPECTOR).get(reverse("ratings:my_assessments"))
    assert list(page.context["assessments"]) == []
    queue = client_for(Role.LEAD_INSPECTOR).get(reverse("ratings:moderation_queue"))
    assert list(queue.context["assessments"]) == []


def test_the_lead_sees_progress_but_not_ratings_before_the_reveal(client_for, users):
    session, people = _rated_open_session(users)
    response = client_for(Role.LEAD_INSPECTOR).get(
        reverse("ratings:benchmark_session", kwargs={"pk": session.pk})
    )
    rows = {row.participant.user: row for row in response.context["progress"]}
    assert (rows[people[1]].started, rows[people[1]].completed) == (2, 2)
    assert (rows[people[0]].started, rows[people[0]].completed) == (0, 0)
    page = response.content.decode()
    assert "Outstanding" not in page and SECRET not in page


def test_an_invited_participant_sees_only_their_sessions(client, users):
    mine = make_session(users, title="Mine")
    make_session(users, title="Someone else's")
    person = participants(mine)[1]
    signed_in = client_of(client, person)
    response = signed_in.get(reverse("ratings:benchmark_list"))
    assert [s.title for s in response.context["sessions"]] == ["Mine"]
    other = BenchmarkSession.objects.get(title="Someone else's")
    assert (
        signed_in.get(
            reverse("ratings:benchmark_session", kwargs={"pk": other.pk})
        ).status_code
        == 404
    )
    for name in ("reviews:list", "ratings:my_assessments", "ratings:benchmark_drift",
                 "ratings:benchmark_create", "ratings:published_list"):  # fmt: skip
        assert signed_in.get(reverse(name)).status_code == 403, name


def test_documents_open_only_for_the_session(client, users, client_for):
    session = make_session(users)
    review = session.reviews.first()
    url = reverse("ratings:benchmark_document", kwargs={"pk": review.pk})
    person = participants(session)[1]
    services.benchmark_declare(session_review=review, by=person, has_conflict=False)
    response = client_of(client, person).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    from django.test import Client

    outsider = sign_in(Client(), UserFactory(roles=[Role.BENCHMARK_PARTICIPANT]))
    assert outsider.get(url).status_code == 404


# Reveal and locking.


def test_revealing_locks_every_rating(client, users):
    session, people = _rated_open_session(users)
    own = (
        Assessment.objects.filter(inspector=people[1])
        .order_by("session_review__position")
        .first()
    )
    row = own.standards.first()
    services.benchmark_session_reveal(
        session=session, by=users[Role.LEAD_INSPECTOR], anonymous=True
    )
    own.refresh_from_db()
    assert own.status == Assessment.Status.LOCKED
    with pytest.raises(Exception) as refused:
        services.benchmark_session_reveal(
            session=BenchmarkSession.objects.get(pk=session.pk),
            by=users[Role.LEAD_INSPECTOR],
            anonymous=True,
        )
    assert refused.typename == "AlreadyDone"  # a second reveal changes nothing
    from django.core.exceptions import PermissionDenied

    from ratings import services as rating_services

    with pytest.raises(PermissionDenied):
        rating_services.assessment_standard_save(
            assessment=own, standard=row, values={"rating": 0}, answers={},
            lock_version=own.lock_version,
        )  # fmt: skip
    signed_in = client_of(client, people[1])
    url = reverse("ratings:benchmark_standard", kwargs={"pk": own.pk, "number": 1})
    # Read-only, saying why; a save is refused.
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "your rating is locked" in page.content.decode()
    assert 'name="lock_version"' not in page.content.decode()
    assert (
        signed_in.post(
            url, {"lock_version": own.lock_version, "rating": "0"}
        ).status_code
        == 403
    )
    autosave = reverse(
        "ratings:benchmark_autosave", kwargs={"pk": own.pk, "section": "overall"}
    )
    assert (
        signed_in.post(autosave, {"lock_version": own.lock_version}).status_code == 403
    )
    start = reverse("ratings:benchmark_start", kwargs={"pk": own.session_review_id})
    assert signed_in.post(start).status_code == 403
    page = signed_in.get(reverse("ratings:benchmark_rating", kwargs={"pk": own.pk}))
    assert "can no longer change" in page.content.decode()
    row.refresh_from_db()
    assert row.rating == 3


def test_a_save_racing_the_reveal_is_refused_as_a_conflict(users):
    session, people = _rated_open_session(users)
    own = (
        Assessment.objects.filter(inspector=people[1])
        .order_by("session_review__position")
        .first()
    )
    stale = own.lock_version
    services.benchmark_session_reveal(
        session=session, by=users[Role.LEAD_INSPECTOR], anonymous=False
    )
    from ratings import services as rating_services

    # The copy loaded before the reveal still thinks it is a draft.
    with pytest.raises(rating_services.EditConflict):
        rating_services.assessment_overall_save(
            assessment=own, overall_rating=0, overall_reason="late",
            departure_reason="late", lock_version=stale,
        )  # fmt: skip


def test_the_reveal_page_reveals_with_the_chosen_anonymity(client_for, users):
    session, _people = _rated_open_session(users)
    response = client_for(Role.LEAD_INSPECTOR).post(
        reverse("ratings:benchmark_reveal", kwargs={"pk": session.pk}),
        {"anonymous": "1"},
    )
    assert response.url == reverse(
        "ratings:benchmark_results", kwargs={"pk": session.pk}
    )
    session.refresh_from_db()
    assert session.is_revealed and session.anonymous


def test_participants_cannot_reveal(client, users):
    session, people = _rated_open_session(users)
    response = client_of(client, people[0]).post(
        reverse("ratings:benchmark_reveal", kwargs={"pk": session.pk}),
        {"anonymous": "0"},
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert not session.is_revealed


def _empty_session(users, *, reviews, extra, people):
    session = make_session(users, reviews=reviews, extra=extra)
    if not people:
        session.participants.all().delete()
    return session


@pytest.mark.parametrize(
    ("reviews", "people", "missing"),
    [
        (0, False, "Add a review and participants before you can reveal ratings"),
        (0, True, "Add a review before you can reveal ratings"),
        (1, False, "Add participants before you can reveal ratings"),
        (1, True, "Nobody has rated a review yet"),
    ],
)
def test_a_session_with_nothing_to_reveal_says_what_is_missing(
    client_for, users, reviews, people, missing
):
    session = _empty_session(users, reviews=reviews, extra=1, people=people)
    lead = client_for(Role.LEAD_INSPECTOR)
    url = reverse("ratings:benchmark_reveal", kwargs={"pk": session.pk})
    page = lead.get(
        reverse("ratings:benchmark_session", kwargs={"pk": session.pk})
    ).content.decode()
    assert missing in page
    assert url not in page  # no Reveal button
    page = lead.get(url).content.decode()
    assert missing in page and 'name="anonymous"' not in page
    response = lead.post(url, {"anonymous": "0"})
    assert response.status_code == 200
    assert missing in response.content.decode()
    session.refresh_from_db()
    assert not session.is_revealed
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.BENCHMARK_REVEALED
    ).exists()


def test_the_service_refuses_to_reveal_a_session_nobody_has_rated(users):
    from django.core.exceptions import ValidationError

    session = make_session(users, reviews=1, extra=1)
    services.benchmark_assessment_start(
        session_review=session.reviews.get(), user=participants(session)[0]
    )  # started, but not one rating given
    with pytest.raises(ValidationError, match="Nobody has rated"):
        services.benchmark_session_reveal(
            session=session, by=users[Role.LEAD_INSPECTOR], anonymous=False
        )
    session.refresh_from_db()
    assert not session.is_revealed


def test_once_someone_has_rated_the_session_offers_the_reveal(client_for, users):
    session, _people = _rated_open_session(users)
    page = client_for(Role.LEAD_INSPECTOR).get(
        reverse("ratings:benchmark_session", kwargs={"pk": session.pk})
    )
    assert page.context["reveal_missing"] is None
    assert reverse("ratings:benchmark_reveal", kwargs={"pk": session.pk}) in (
        page.content.decode()
    )


# After the reveal.


def test_after_the_reveal_participants_see_who_rated_what(client, users):
    session = make_revealed_session(users)
    people = participants(session)
    review = session.reviews.first()
    page = (
        client_of(client, people[2])
        .get(reverse("ratings:benchmark_review_results", kwargs={"pk": review.pk}))
        .content.decode()
    )
    assert escape(people[0].full_name) in page
    assert f"{escape(people[2].full_name)} (you)" in page
    assert "data:image/svg+xml;base64," in page
    assert "Agreed after discussion" in page
    viewed = AuditEvent.objects.get(action=AuditEvent.Action.BENCHMARK_RESULTS_VIEWED)
    assert (viewed.actor, viewed.details) == (people[2], {"review": review.pk})


def test_anonymised_results_number_the_participants(client, users):
    session = make_session(users)
    people = participants(session)
    rate(session, people[0], [(2, 2, 2, 2), (1, 1, 1, 1)])
    services.benchmark_session_reveal(
        session=session, by=users[Role.LEAD_INSPECTOR], anonymous=True
    )
    page = (
        client_of(client, people[1])
        .get(
            reverse(
                "ratings:benchmark_review_results",
                kwargs={"pk": session.reviews.first().pk},
            )
        )
        .content.decode()
    )
    assert escape(people[0].full_name) not in page
    numbers = {
        p.user_id: n
        for n, p in enumerate(_shuffled(session.participants.all(), session), 1)
    }
    others = [n for user, n in numbers.items() if user != people[1].pk]
    assert f"Participant {numbers[people[1].pk]} (you)" in page
    assert all(f"Participant {n}<" in page or f"Participant {n} " in page
               for n in others)  # fmt: skip


def _shuffled(participants, session):
    import random

    order = sorted(participants, key=lambda p: p.pk)
    random.Random(session.numbering_seed).shuffle(order)
    return order


def test_anonymised_numbers_follow_the_sessions_stored_seed_not_the_order_added(
    client, users
):
    session = make_session(users, extra=4)
    seeds = {make_session(users, title=f"S{n}").numbering_seed for n in range(4)}
    assert len(seeds | {session.numbering_seed}) > 1  # a seed per session
    added = [p.user_id for p in session.participants.order_by("pk")]
    seed = next(
        seed
        for seed in range(100)
        if _shuffled(session.participants.all(), _Seed(seed))[0].user_id != added[0]
    )
    BenchmarkSession.objects.filter(pk=session.pk).update(numbering_seed=seed)
    rate(session, participants(session)[0], [(2, 2, 2, 2), (1, 1, 1, 1)])
    services.benchmark_session_reveal(
        session=session, by=users[Role.LEAD_INSPECTOR], anonymous=True
    )
    session = BenchmarkSession.objects.get(pk=session.pk)
    from ratings.benchmarking.results import session_results

    results = session_results(session)
    expected = _shuffled(session.participants.all(), session)
    assert [p.user_id for p in results.participants] == [p.user_id for p in expected]
    labels = {p.user_id: results.label(p) for p in results.participants}
    assert labels[expected[0].user_id] == "Participant 1"
    assert labels[added[0]] != "Participant 1"
    # The same seed gives the same numbers every time the results are shown.
    again = session_results(BenchmarkSession.objects.get(pk=session.pk))
    assert {p.user_id: again.label(p) for p in again.participants} == labels


class _Seed:
    def __init__(self, seed):
        self.numbering_seed = seed


def test_the_results_page_shows_agreement_and_distance(client_for, users):
    session = make_revealed_session(users)
    response = client_for(Role.LEAD_INSPECTOR).get(
        reverse("ratings:benchmark_results", kwargs={"pk": session.pk})
    )
    results = response.context["results"]
    rows = dict(results.agreement)
    # Standard 1: review A rated 2, 2, 3; review B 1, 1, 0: 2 of 6 pairs agree.
    assert rows["1. Analysis of practice"].exact == pytest.approx(2 / 6)
    assert rows["1. Analysis of practice"].within_one == pytest.approx(1)
    # Consensus is Good on every standard: the first participant's distance
    # is (0+0+0+0 + 1+1+0+1) / 8.
    assert results.distances[0].mean == pytest.approx(3 / 8)
    page = response.content.decode()
    assert "Krippendorff" in page and "Exact agreement" in page


def test_the_facilitator_records_consensus_and_notes(client_for, users):
    session = make_revealed_session(users, consensus=False)
    review = session.reviews.first()
    lead = client_for(Role.LEAD_INSPECTOR)
    url = reverse(
        "ratings:benchmark_consensus", kwargs={"pk": review.pk, "section": "overall"}
    )
    assert lead.post(url, {"rating": "2"}).status_code == 200  # reasoning needed
    lead.post(url, {"rating": "2", "reasoning": "Sound overall"})
    consensus = Consensus.objects.get()
    assert (consensus.standard, consensus.rating, consensus.reasoning) == (
        None,
        2,
        "Sound overall",
    )
    lead.post(url, {"rating": "1", "reasoning": "On reflection"})
    assert Consensus.objects.get().rating == 1
    lead.post(
        reverse("ratings:benchmark_notes", kwargs={"pk": review.pk}),
        {"notes": "We debated standard 1"},
    )
    assert (
        SessionReview.objects.get(pk=review.pk).discussion_notes
        == "We debated standard 1"
    )


def test_participants_cannot_record_consensus(client, users):
    session = make_revealed_session(users, consensus=False)
    review = session.reviews.first()
    url = reverse(
        "ratings:benchmark_consensus", kwargs={"pk": review.pk, "section": "overall"}
    )
    response = client_of(client, participants(session)[0]).post(
        url, {"rating": "2", "reasoning": "x"}
    )
    assert response.status_code == 403
    assert not Consensus.objects.exists()


def test_the_session_report_is_a_pdf_for_those_in_the_session(
    client, users, client_for, django_capture_on_commit_callbacks, run_tasks_in_process
):
    session = make_revealed_session(users)
    lead = client_for(Role.LEAD_INSPECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(
            reverse("ratings:benchmark_report", kwargs={"pk": session.pk})
        )
    job = ReportJob.objects.get()
    assert response.url == reverse("reports:job_detail", kwargs={"pk": job.pk})
    assert job.status == ReportJob.Status.DONE
    download = lead.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    person = participants(session)[1]
    assert (
        client_of(client, person)
        .get(reverse("reports:job_detail", kwargs={"pk": job.pk}))
        .status_code
        == 200
    )
    assert (
        client_for(Role.HMPPS_SFO)
        .get(reverse("reports:job_detail", kwargs={"pk": job.pk}))
        .status_code
        == 404
    )


def test_the_drift_page_ranks_people_and_standards(client_for, users):
    make_revealed_session(users)
    response = client_for(Role.LEAD_INSPECTOR).get(reverse("ratings:benchmark_drift"))
    drift = response.context["drift"]
    assert len(drift.people) == 3
    means = [p.latest.mean for p in drift.people]
    assert means == sorted(means, reverse=True)
    alphas = [s.pooled.alpha for s in drift.standards if s.pooled.alpha is not None]
    assert alphas == sorted(alphas)


# Conflicts of interest: benchmarking opens no document an allocation keeps shut.


@pytest.mark.parametrize(
    "status", [Review.Status.SAMPLED, Review.Status.ALLOCATED, Review.Status.IN_QA]
)
def test_a_review_in_live_quality_assurance_cannot_be_added(client_for, users, status):
    session = make_session(users, reviews=0)
    review = ReviewFactory(status=status)
    add_document(review)
    response = client_for(Role.LEAD_INSPECTOR).post(
        reverse("ratings:benchmark_review_add", kwargs={"pk": session.pk}),
        {
            "title": "Review A",
            "source": "received",
            "reference": review.hmpps_reference,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This review is in quality assurance now" in page
    assert "govuk-error-summary" in page
    assert not session.reviews.exists()


def test_a_published_review_can_be_added(users):
    session = make_session(users, reviews=0)
    review = ReviewFactory(status=Review.Status.PUBLISHED)
    add_document(review)
    services.benchmark_review_add(
        session=session, by=users[Role.LEAD_INSPECTOR], title="A", review=review
    )
    assert session.reviews.get().review == review


def test_a_session_document_opens_after_the_persons_own_declaration(client, users):
    session = make_session(users)
    review = session.reviews.first()
    person = participants(session)[1]
    signed_in = client_of(client, person)
    url = reverse("ratings:benchmark_document", kwargs={"pk": review.pk})
    declare = reverse("ratings:benchmark_declare", kwargs={"pk": review.pk})
    assert signed_in.get(url).url == declare
    page = signed_in.get(declare).content.decode()
    assert "Do you have a conflict of interest with this case?" in page
    response = signed_in.post(declare, {"has_conflict": "False"})
    assert response.url == reverse(
        "ratings:benchmark_session", kwargs={"pk": session.pk}
    )
    assert signed_in.get(url).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONFLICT_DECLARED)
    assert (event.actor, event.details) == (
        person,
        {"review": review.pk, "conflict": False},
    )
    # Someone else in the session still has to declare for themselves.
    other = client_of(Client(), participants(session)[2])
    assert other.get(url).url == declare


def test_a_declared_conflict_keeps_the_session_document_shut(client, users):
    session = make_session(users)
    review = session.reviews.first()
    signed_in = client_of(client, participants(session)[1])
    declare = reverse("ratings:benchmark_declare", kwargs={"pk": review.pk})
    missing = signed_in.post(declare, {"has_conflict": "True"})
    assert "Enter a description of the conflict of interest" in (
        missing.content.decode()
    )
    signed_in.post(declare, {"has_conflict": "True", "reason": "I know the family"})
    url = reverse("ratings:benchmark_document", kwargs={"pk": review.pk})
    assert signed_in.get(url).status_code == 403
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.BENCHMARK_DOCUMENT_DOWNLOADED
    ).exists()
    start = reverse("ratings:benchmark_start", kwargs={"pk": review.pk})
    assert signed_in.post(start).status_code == 403
    assert not Assessment.objects.filter(session_review=review).exists()


def test_an_undeclared_allocation_keeps_the_session_document_shut(client, users):
    from reviews.models import Allocation
    from reviews.services.allocation import (
        allocation_declare_conflict,
        review_allocate,
    )

    session = make_session(users)
    review = session.reviews.first()
    inspector = users[Role.INSPECTOR]
    # Sampled and allocated to the inspector after it joined the session.
    Review.objects.filter(pk=review.review_id).update(status=Review.Status.SAMPLED)
    allocation = review_allocate(
        by=users[Role.LEAD_INSPECTOR],
        review=review.review,
        inspector=inspector,
        due_date=datetime.date(2026, 6, 1),
    )
    signed_in = client_of(client, inspector)
    url = reverse("ratings:benchmark_document", kwargs={"pk": review.pk})
    declare = reverse("ratings:benchmark_declare", kwargs={"pk": review.pk})
    assert signed_in.get(url).status_code == 403
    assert signed_in.get(declare).status_code == 403
    assert signed_in.post(declare, {"has_conflict": "False"}).status_code == 403
    document = reverse("reviews:document", kwargs={"pk": review.document_id})
    assert signed_in.get(document).status_code == 403
    allocation_declare_conflict(by=inspector, allocation=allocation, has_conflict=True,
                                reason="I supervised him")  # fmt: skip
    assert Allocation.objects.get(pk=allocation.pk).conflict == "declared"
    assert signed_in.get(url).status_code == 403
    assert signed_in.get(declare).status_code == 403
