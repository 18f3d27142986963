"""A new version of the review sent during QA: a banner, emails and a receipt."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from reviews.models import DocumentVersion
from tests.conftest import SIGNED_IN_QUERIES
from tests.reviews.factories import unique_pdf
from tests.sfoqa.files import upload

BANNER = "HMPPS sent version 2 on"


def send_version_2(client_for, assessment, capture):
    url = reverse("reviews:version_add", kwargs={"pk": assessment.review_id})
    with capture(execute=True):
        response = client_for(Role.HMPPS_SFO).post(
            url, {"review_document": upload(unique_pdf(), "version-2.pdf")}
        )
    assert response.status_code == 302
    return DocumentVersion.objects.get(review=assessment.review, number=2)


@pytest.mark.django_db
def test_a_new_version_shows_a_banner_to_the_inspector_and_the_lead(
    client_for, assessment, django_capture_on_commit_callbacks
):
    task_list = reverse("ratings:task_list", kwargs={"pk": assessment.pk})
    assert BANNER not in client_for(Role.INSPECTOR).get(task_list).content.decode()

    newer = send_version_2(client_for, assessment, django_capture_on_commit_callbacks)
    inspector = client_for(Role.INSPECTOR).get(task_list).content.decode()

    assert "you are rating version 1" in inspector
    assert reverse("reviews:document", kwargs={"pk": newer.pk}) in inspector
    assert reverse("reviews:document", kwargs={"pk": assessment.document_id}) in (
        inspector
    )
    lead = client_for(Role.LEAD_INSPECTOR).get(task_list).content.decode()
    assert "this assessment rates version 1" in lead


@pytest.mark.django_db
def test_the_moderation_page_shows_the_newer_version(
    client_for, users, assessment, django_capture_on_commit_callbacks
):
    from ratings import services
    from tests.ratings.conftest import rate_everything

    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users[Role.INSPECTOR],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    send_version_2(client_for, assessment, django_capture_on_commit_callbacks)

    url = reverse("ratings:moderate", kwargs={"pk": assessment.pk})
    page = client_for(Role.LEAD_INSPECTOR).get(url).content.decode()

    assert "HMPPS sent version 2 on" in page
    assert "this assessment rates version 1" in page


@pytest.mark.django_db
def test_the_inspector_and_lead_are_emailed_and_hmpps_gets_a_receipt(
    client_for, users, assessment, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    mail.outbox.clear()
    send_version_2(client_for, assessment, django_capture_on_commit_callbacks)

    sent = {message.to[0]: message for message in mail.outbox}
    inspector = users[Role.INSPECTOR].email
    lead = users[Role.LEAD_INSPECTOR].email
    hmpps = users[Role.HMPPS_SFO].email
    assert set(sent) == {inspector, lead, hmpps}
    reference = assessment.review.hmpps_reference
    assert sent[hmpps].subject == f"Version 2 of SFO review {reference} received"
    assert "version-2.pdf" in sent[hmpps].body
    assert "talk to your lead inspector" in sent[inspector].body
    review_url = reverse("reviews:detail", kwargs={"pk": assessment.review_id})
    assert all(review_url in message.body for message in sent.values())


@pytest.mark.django_db
def test_a_new_version_outside_qa_only_sends_the_receipt(
    client_for, users, allocation, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    from reviews.models import Review

    Review.objects.filter(pk=allocation.review_id).update(
        status=Review.Status.PUBLISHED
    )
    url = reverse("reviews:version_add", kwargs={"pk": allocation.review_id})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(Role.HMPPS_SFO).post(url, {"review_document": upload(unique_pdf())})

    assert [message.to[0] for message in mail.outbox] == [users[Role.HMPPS_SFO].email]


@pytest.mark.django_db
def test_the_banner_costs_no_query_when_no_newer_version_exists(
    client_for, assessment, django_assert_max_num_queries
):
    client = client_for(Role.INSPECTOR)
    url = reverse("ratings:task_list", kwargs={"pk": assessment.pk})
    client.get(url)
    # The same as the task list's own count in test_views: the newest
    # version's number comes with the assessment.
    with django_assert_max_num_queries(SIGNED_IN_QUERIES + 11):
        client.get(url)
