"""The review document beside the rating forms: inline, framed by our pages only."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from reviews.models import DocumentVersion


def inline_url(document_pk):
    return reverse("reviews:document_inline", kwargs={"pk": document_pk})


def standard_url(assessment):
    return reverse("ratings:standard", kwargs={"pk": assessment.pk, "number": 1})


@pytest.mark.django_db
def test_the_inspector_reads_the_review_inline_framed_only_by_our_pages(
    client_for, assessment
):
    response = client_for(Role.INSPECTOR).get(inline_url(assessment.document_id))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "sandbox" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOCUMENT_READ,
        object_id=str(assessment.document_id),
        actor__email__startswith="inspector",
    ).exists()


@pytest.mark.django_db
def test_every_other_response_still_refuses_to_be_framed(client_for, assessment):
    client = client_for(Role.INSPECTOR)
    download = client.get(
        reverse("reviews:document", kwargs={"pk": assessment.document_id})
    )
    task_list = client.get(reverse("ratings:task_list", kwargs={"pk": assessment.pk}))

    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Frame-Options"] == "DENY"
    assert "sandbox" in download["Content-Security-Policy"]
    assert task_list["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in task_list["Content-Security-Policy"]
    assert "frame-src 'none'" in task_list["Content-Security-Policy"]
    # The task list opens the PDF in the browser, not as a download.
    assert inline_url(assessment.document_id) in task_list.content.decode()


@pytest.mark.django_db
def test_the_rating_forms_offer_the_review_beside_them(client_for, assessment):
    client = client_for(Role.INSPECTOR)
    overall = reverse("ratings:overall", kwargs={"pk": assessment.pk})
    for url in (standard_url(assessment), overall):
        response = client.get(url)
        page = response.content.decode()
        policy = response["Content-Security-Policy"]
        assert "frame-src 'self'" in policy and "frame-src 'none'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "Show the review beside the form" in page
        assert "Cite page numbers like p. 12" in page
        assert f'data-src="{inline_url(assessment.document_id)}"' in page


@pytest.mark.django_db
def test_a_word_document_is_offered_as_a_download_not_inline(client_for, assessment):
    DocumentVersion.objects.filter(pk=assessment.document_id).update(
        kind="docx",
        content_type="application/vnd.openxmlformats-officedocument"
        ".wordprocessingml.document",
    )
    client = client_for(Role.INSPECTOR)

    page = client.get(standard_url(assessment)).content.decode()

    assert client.get(inline_url(assessment.document_id)).status_code == 404
    assert "Show the review beside the form" not in page
    download = reverse("reviews:document", kwargs={"pk": assessment.document_id})
    assert f'href="{download}"' in page and "(DOCX," in page


@pytest.mark.django_db
def test_only_the_people_who_may_download_it_read_it_inline(
    client_for, make_user, assessment
):
    from tests.conftest import sign_in

    url = inline_url(assessment.document_id)
    other = sign_in(client_for(None), make_user(Role.INSPECTOR))

    assert client_for(Role.HMPPS_SFO).get(url).status_code == 403
    assert client_for(Role.ADMIN).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert other.get(url).status_code in (403, 404)
    assert client_for(Role.LEAD_INSPECTOR).get(url).status_code == 200
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.DOCUMENT_READ, actor__email__startswith="admin"
    ).exists()
