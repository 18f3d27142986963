import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from reviews.models import Allocation, Review
from tests.reviews.factories import ReviewFactory, add_document

pytestmark = pytest.mark.django_db

DUE = {"due_date_0": "1", "due_date_1": "12", "due_date_2": "2030"}


@pytest.fixture
def sampled(reference_data, media_root):
    review = ReviewFactory(status=Review.Status.SAMPLED)
    add_document(review)
    return review


def allocate(client, review, inspector):
    return client.post(
        reverse("reviews:allocate", kwargs={"pk": review.pk}),
        {"inspector": inspector.pk, **DUE},
    )


def test_lead_allocates_and_the_inspector_is_emailed(
    lead_inspector_client, users, sampled, django_capture_on_commit_callbacks
):
    inspector = users["inspector"]
    page = lead_inspector_client.get(
        reverse("reviews:allocate", kwargs={"pk": sampled.pk})
    )
    assert f"{escape(inspector.full_name)} (0 open)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = allocate(lead_inspector_client, sampled, inspector)
    assert response.url == reverse("reviews:allocation_list")
    sampled.refresh_from_db()
    assert sampled.status == Review.Status.ALLOCATED
    assert sampled.inspector == inspector
    (email,) = mail.outbox
    assert email.to == [inspector.email]
    assert "conflict of interest" in email.body
    listing = lead_inspector_client.get(
        reverse("reviews:allocation_list")
    ).content.decode()
    workload = re.search(
        rf"{re.escape(escape(inspector.full_name))}</td><td[^>]*>(\d+)</td>", listing
    )
    assert workload.group(1) == "1"


def test_the_success_banner_names_the_review_and_the_inspector(
    lead_inspector_client, users, sampled
):
    inspector = users["inspector"]
    response = lead_inspector_client.post(
        reverse("reviews:allocate", kwargs={"pk": sampled.pk}),
        {"inspector": inspector.pk, **DUE},
        follow=True,
    )
    page = response.content.decode()
    banner = re.search(
        r'govuk-notification-banner--success".*?'
        r'govuk-notification-banner__heading">\s*(.*?)\s*</p>',
        page,
        re.S,
    )
    assert banner.group(1) == escape(
        f"{sampled.hmpps_reference} allocated to {inspector.full_name}"
    )


def test_only_sampled_reviews_can_be_allocated(
    lead_inspector_client, users, reference_data
):
    review = ReviewFactory(status=Review.Status.RECEIVED)
    response = allocate(lead_inspector_client, review, users["inspector"])
    assert "Only a sampled review" in response.content.decode()
    assert not Allocation.objects.exists()


def test_only_inspectors_can_be_chosen(lead_inspector_client, users, sampled):
    response = allocate(lead_inspector_client, sampled, users["panel_member"])
    assert "Select a valid choice" in response.content.decode()


def test_documents_open_only_after_declaring_no_conflict(
    lead_inspector_client, inspector_client, users, sampled
):
    allocate(lead_inspector_client, sampled, users["inspector"])
    document = sampled.documents.get()
    detail = reverse("reviews:detail", kwargs={"pk": sampled.pk})
    download = reverse("reviews:document", kwargs={"pk": document.pk})
    page = inspector_client.get(detail).content.decode()
    assert "Declare any conflict of interest" in page
    assert sampled.crn not in page and sampled.masked_crn in page
    assert inspector_client.get(download).status_code == 403

    response = inspector_client.post(
        reverse("reviews:conflict_declare", kwargs={"pk": sampled.pk}),
        {"has_conflict": "False"},
    )
    assert response.url == detail
    assert sampled.crn in inspector_client.get(detail).content.decode()
    response = inspector_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="document_downloaded").count() == 1


def test_a_declared_conflict_sends_the_review_back_to_the_lead(
    lead_inspector_client,
    inspector_client,
    users,
    sampled,
    django_capture_on_commit_callbacks,
):
    allocate(lead_inspector_client, sampled, users["inspector"])
    url = reverse("reviews:conflict_declare", kwargs={"pk": sampled.pk})
    missing_reason = inspector_client.post(url, {"has_conflict": "True"})
    assert "Enter a description of the conflict of interest" in (
        missing_reason.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        inspector_client.post(
            url, {"has_conflict": "True", "reason": "Knew the family"}
        )
    sampled.refresh_from_db()
    assert sampled.status == Review.Status.SAMPLED
    assert sampled.inspector is None
    allocation = Allocation.objects.get()
    assert not allocation.is_current
    assert allocation.conflict == Allocation.Conflict.DECLARED
    assert mail.outbox[-1].to == [users["lead_inspector"].email]
    # The inspector no longer sees it, and cannot be given it again.
    assert (
        inspector_client.get(
            reverse("reviews:detail", kwargs={"pk": sampled.pk})
        ).status_code
        == 404
    )
    again = allocate(lead_inspector_client, sampled, users["inspector"])
    assert "declared a conflict of interest" in again.content.decode()


def test_the_description_is_asked_for_only_under_yes(
    lead_inspector_client, inspector_client, users, sampled
):
    allocate(lead_inspector_client, sampled, users["inspector"])
    url = reverse("reviews:conflict_declare", kwargs={"pk": sampled.pk})
    page = inspector_client.get(url).content.decode()
    revealed = re.search(
        r'<div class="govuk-radios__conditional[^"]*" id="conditional_has_conflict_2">'
        r"(.*?)</textarea>",
        page,
        re.S,
    )
    assert 'name="reason"' in revealed.group(1)
    assert 'data-module="govuk-character-count"' in revealed.group(1)
    blank = inspector_client.post(url, {"has_conflict": "True", "reason": "  "})
    page = blank.content.decode()
    assert '<a href="#id_reason">Enter a description of the conflict of interest' in (
        page
    )
    assert Allocation.objects.get().conflict == Allocation.Conflict.PENDING


def test_no_conflict_drops_a_description_typed_before_choosing_no(
    lead_inspector_client, inspector_client, users, sampled
):
    from reviews.forms import ConflictForm

    form = ConflictForm(data={"has_conflict": "False", "reason": "Knew the family"})
    assert form.is_valid()
    assert form.cleaned_data == {"has_conflict": False, "reason": ""}
    allocate(lead_inspector_client, sampled, users["inspector"])
    inspector_client.post(
        reverse("reviews:conflict_declare", kwargs={"pk": sampled.pk}),
        {"has_conflict": "False", "reason": "Knew the family"},
    )
    allocation = Allocation.objects.get()
    assert (allocation.conflict, allocation.conflict_reason) == (
        Allocation.Conflict.NONE,
        "",
    )


def test_another_inspector_cannot_declare_for_a_review(
    lead_inspector_client, users, sampled, make_user, client_for
):
    allocate(lead_inspector_client, sampled, users["inspector"])
    from django.test import Client

    from tests.conftest import sign_in

    other = sign_in(
        Client(), make_user("inspector", email="other.inspector@example.org")
    )
    url = reverse("reviews:conflict_declare", kwargs={"pk": sampled.pk})
    assert other.get(url).status_code == 404
    assert other.post(url, {"has_conflict": "False"}).status_code == 404
    assert Allocation.objects.get().conflict == Allocation.Conflict.PENDING


@pytest.mark.parametrize("role", ["inspector", "hmpps_sfo", "panel_member"])
def test_only_leads_allocate(client_for, role, sampled):
    url = reverse("reviews:allocate", kwargs={"pk": sampled.pk})
    assert client_for(role).get(url).status_code == 403


def test_the_allocation_form_shows_the_case_facts(lead_inspector_client, sampled):
    page = lead_inspector_client.get(
        reverse("reviews:allocate", kwargs={"pk": sampled.pk})
    ).content.decode()
    assert "The case" in page
    for fact in (sampled.region.name, sampled.offence_category.name):
        assert escape(fact) in page
    assert 'name="inspector"' in page


def test_an_unsampled_review_is_refused_before_the_form(
    lead_inspector_client, reference_data
):
    review = ReviewFactory(status=Review.Status.RECEIVED)
    page = lead_inspector_client.get(
        reverse("reviews:allocate", kwargs={"pk": review.pk})
    )
    assert page.status_code == 409
    html = page.content.decode()
    assert "This review cannot be allocated" in html
    assert f"{review.hmpps_reference} is received." in html
    assert 'name="inspector"' not in html


def test_an_allocation_without_a_due_date_asks_for_one_in_plain_words(
    lead_inspector_client, users, sampled
):
    page = lead_inspector_client.post(
        reverse("reviews:allocate", kwargs={"pk": sampled.pk}),
        {"inspector": users["inspector"].pk},
    ).content.decode()
    assert "Enter the date quality assurance is due by" in page
    sampled.refresh_from_db()
    assert sampled.status == Review.Status.SAMPLED
