"""Benchmarking pages: query counts, hostile text and mass assignment."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from ratings.benchmarking import services
from ratings.models import BenchmarkSession
from tests.conftest import SIGNED_IN_QUERIES
from tests.ratings.benchmarking import (
    make_revealed_session,
    make_session,
    participants,
    rate,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{7*7}}'


@pytest.mark.parametrize("sessions", [1, 4])
def test_the_session_list_takes_the_same_queries_for_any_number_of_sessions(
    client_for, users, django_assert_num_queries, sessions
):
    for number in range(sessions):
        make_session(users, title=f"Session {number}")
    client = client_for(Role.LEAD_INSPECTOR)
    with django_assert_num_queries(SIGNED_IN_QUERIES + 1):
        response = client.get(reverse("ratings:benchmark_list"))
    assert len(response.context["sessions"]) == sessions


@pytest.mark.parametrize("extra", [1, 4])
def test_the_results_page_takes_the_same_queries_for_any_number_of_participants(
    client_for, users, django_assert_num_queries, extra
):
    session = make_session(users, extra=extra)
    for person in participants(session):
        rate(session, person, [(2, 2, 1, 1), (1, 2, 3, 0)])
    services.benchmark_session_reveal(
        session=session, by=users[Role.LEAD_INSPECTOR], anonymous=False
    )
    client = client_for(Role.LEAD_INSPECTOR)
    # Session with reviews and participants (3), the audit event, the
    # assessments with their standards (2), consensus, standards.
    with django_assert_num_queries(SIGNED_IN_QUERIES + 8):
        client.get(reverse("ratings:benchmark_results", kwargs={"pk": session.pk}))


def test_hostile_text_is_shown_as_text(client_for, users):
    session = make_revealed_session(users, consensus=False)
    BenchmarkSession.objects.filter(pk=session.pk).update(title=HOSTILE)
    review = session.reviews.first()
    lead = client_for(Role.LEAD_INSPECTOR)
    lead.post(
        reverse(
            "ratings:benchmark_consensus",
            kwargs={"pk": review.pk, "section": "overall"},
        ),
        {"rating": "2", "reasoning": HOSTILE},
    )
    lead.post(
        reverse("ratings:benchmark_notes", kwargs={"pk": review.pk}), {"notes": HOSTILE}
    )
    for url in [
        reverse("ratings:benchmark_list"),
        reverse("ratings:benchmark_session", kwargs={"pk": session.pk}),
        reverse("ratings:benchmark_results", kwargs={"pk": session.pk}),
        reverse("ratings:benchmark_review_results", kwargs={"pk": review.pk}),
    ]:
        page = lead.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "onerror=alert(1)>" not in page


def test_extra_fields_cannot_choose_the_facilitator_or_reveal(client_for, users):
    client_for(Role.LEAD_INSPECTOR).post(
        reverse("ratings:benchmark_create"),
        {
            "title": "Spring",
            "held_on_0": "1",
            "held_on_1": "4",
            "held_on_2": "2026",
            "facilitator": users[Role.INSPECTOR].pk,
            "status": "revealed",
        },
    )
    session = BenchmarkSession.objects.get()
    assert session.facilitator == users[Role.LEAD_INSPECTOR]
    assert not session.is_revealed
