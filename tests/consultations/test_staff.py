"""Staff pages: creating, changing and publishing consultations, questions and
documents. Administrators change; lead inspectors read; nobody else gets in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from consultations.models import Consultation, Document, Question, Status
from tests.conftest import SIGNED_IN_QUERIES
from tests.consultations.conftest import stored_files
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    DocumentFactory,
    QuestionFactory,
    ResponseFactory,
)
from tests.sfoqa.files import DOCX_MIME, macro_docx, pdf_bytes, png_bytes, upload

Action = AuditEvent.Action
pytestmark = pytest.mark.django_db
REFUSED = [Role.INSPECTOR, Role.HMPPS_SFO, Role.PANEL_MEMBER]

FORM = {
    "title": "Our inspection programme for 2027",
    "summary": "What we plan to inspect next year.",
    "body": "We would like your views.",
    "audiences": "probation\nyouth\nprobation",
    "opens_on_0": "1", "opens_on_1": "2", "opens_on_2": "2027",
    "opens_time": "09:00",
    "closes_on_0": "5", "closes_on_1": "3", "closes_on_2": "2027",
    "closes_time": "00:00",
    "accepts_online": "on",
    "responses_email": "consultations@example.org",
}  # fmt: skip


def test_admin_creates_a_draft_consultation(admin_client):
    response = admin_client.post(reverse("consultations:create"), FORM)
    consultation = Consultation.objects.get()
    assert response.url == reverse(
        "consultations:staff_detail", kwargs={"pk": consultation.pk}
    )
    assert consultation.slug == "our-inspection-programme-for-2027"
    assert consultation.status == Status.DRAFT
    assert [a.name for a in consultation.audiences.all()] == ["probation", "youth"]
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_CREATED).exists()


@pytest.mark.parametrize("role", [Role.LEAD_INSPECTOR, *REFUSED])
def test_only_admins_may_create_consultations(client_for, role):
    response = client_for(role).post(reverse("consultations:create"), FORM)
    assert response.status_code == 403
    assert not Consultation.objects.exists()


def test_lead_inspectors_read_the_staff_pages_but_see_no_change_buttons(
    lead_inspector_client,
):
    consultation = ConsultationFactory(published_at=None)
    page = lead_inspector_client.get(
        reverse("consultations:staff_detail", kwargs={"pk": consultation.pk})
    ).content.decode()
    assert consultation.title in page
    assert reverse("consultations:edit", kwargs={"pk": consultation.pk}) not in page
    assert reverse("consultations:publish", kwargs={"pk": consultation.pk}) not in page


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_see_the_staff_pages(client_for, role):
    consultation = ConsultationFactory()
    for url in [
        reverse("consultations:staff_list"),
        reverse("consultations:staff_detail", kwargs={"pk": consultation.pk}),
        reverse("consultations:response_list", kwargs={"pk": consultation.pk}),
    ]:
        assert client_for(role).get(url).status_code == 403


def test_a_draft_is_previewed_by_staff_but_hidden_from_the_public(
    lead_inspector_client, client
):
    draft = ConsultationFactory(published_at=None, title="Not yet public")
    preview = lead_inspector_client.get(
        reverse("consultations:preview", kwargs={"pk": draft.pk})
    )
    assert "Not yet public" in preview.content.decode()
    assert "It is a draft" in preview.content.decode()
    public = client.get(reverse("consultations:detail", kwargs={"slug": draft.slug}))
    assert public.status_code == 404


def test_editing_someone_elses_newer_version_keeps_what_you_typed(admin_client):
    consultation = ConsultationFactory(title="Old title")
    url = reverse("consultations:edit", kwargs={"pk": consultation.pk})
    data = {**FORM, "title": "My new title", "version": consultation.version}
    Consultation.objects.filter(pk=consultation.pk).update(version=5)

    response = admin_client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this consultation" in page
    assert 'value="My new title"' in page
    consultation.refresh_from_db()
    assert consultation.title == "Old title"


def test_editing_the_current_version_saves_and_audits_the_fields(admin_client):
    consultation = ConsultationFactory(title="Old title")
    url = reverse("consultations:edit", kwargs={"pk": consultation.pk})
    admin_client.post(url, {**FORM, "version": consultation.version})
    consultation.refresh_from_db()
    assert consultation.title == FORM["title"]
    assert consultation.version == 2
    event = AuditEvent.objects.get(action=Action.CONSULTATION_CHANGED)
    assert "title" in event.details["fields"]


def test_an_audience_with_responses_cannot_be_removed(admin_client):
    consultation = ConsultationFactory()
    youth = AudienceFactory(consultation=consultation, name="youth")
    ResponseFactory(consultation=consultation, audience=youth)
    url = reverse("consultations:edit", kwargs={"pk": consultation.pk})
    response = admin_client.post(
        url, {**FORM, "audiences": "probation", "version": consultation.version}
    )
    assert "responses have been recorded for it" in response.content.decode()
    assert consultation.audiences.filter(name="youth").exists()


def test_publishing_online_consultation_needs_questions(admin_client):
    consultation = ConsultationFactory(published_at=None)
    url = reverse("consultations:publish", kwargs={"pk": consultation.pk})
    refused = admin_client.post(url)
    assert "Add at least one question" in refused.content.decode()
    QuestionFactory(consultation=consultation)
    admin_client.post(url)
    consultation.refresh_from_db()
    assert consultation.published_at is not None
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_PUBLISHED).exists()


def test_admin_adds_a_choice_question_with_its_options(admin_client):
    consultation = ConsultationFactory(published_at=None)
    url = reverse("consultations:question_add", kwargs={"pk": consultation.pk})
    refused = admin_client.post(
        url, {"text": "Which?", "kind": "single", "required": "yes", "options": "A"}
    )
    assert "Give at least 2 options" in refused.content.decode()
    admin_client.post(
        url,
        {
            "text": "Which?",
            "hint": "Choose one",
            "kind": "single",
            "required": "no",
            "options": "A\n\n B \nA",
        },
    )
    question = Question.objects.get()
    assert question.options == ["A", "B"]
    assert not question.required


def test_questions_cannot_change_once_people_have_answered(admin_client):
    question = QuestionFactory()
    ResponseFactory(consultation=question.consultation, channel="online")
    url = reverse("consultations:question_edit", kwargs={"pk": question.pk})
    response = admin_client.post(
        url, {"text": "Changed", "kind": "text", "required": "yes"}
    )
    assert "cannot change" in response.content.decode()
    question.refresh_from_db()
    assert question.text != "Changed"


def test_admin_uploads_a_pdf_which_is_stored_and_listed(
    admin_client, private_storage, client
):
    consultation = ConsultationFactory()
    url = reverse("consultations:document_add", kwargs={"pk": consultation.pk})
    response = admin_client.post(
        url,
        {
            "title": "The proposals",
            "kind": "consultation",
            "upload": upload(pdf_bytes(), "proposals.pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.size == len(pdf_bytes())
    assert document.file_type == "pdf"
    assert len(stored_files(private_storage)) == 1
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": consultation.slug})
    )
    assert "The proposals</a> (PDF, 1 KB)" in page.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (png_bytes(), "picture.pdf", "application/pdf"),
        (macro_docx(), "macro.docx", DOCX_MIME),
        (pdf_bytes(), "renamed.docx", DOCX_MIME),
    ],
)
def test_unsafe_uploads_are_refused_and_nothing_is_kept(
    admin_client, private_storage, content, name, content_type
):
    consultation = ConsultationFactory()
    url = reverse("consultations:document_add", kwargs={"pk": consultation.pk})
    response = admin_client.post(
        url,
        {
            "title": "Hostile",
            "kind": "consultation",
            "upload": upload(content, name, content_type),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


def test_removing_a_document_deletes_its_file(
    admin_client, private_storage, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    admin_client.post(
        reverse("consultations:document_add", kwargs={"pk": consultation.pk}),
        {"title": "Old", "kind": "consultation", "upload": upload(pdf_bytes())},
    )
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("consultations:document_remove", kwargs={"pk": document.pk})
        )
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []
    assert AuditEvent.objects.filter(
        action=Action.CONSULTATION_DOCUMENT_REMOVED
    ).exists()


def test_the_staff_list_flags_overdue_responses(lead_inspector_client):
    now = timezone.now()
    ConsultationFactory(
        title="Long closed",
        opens_at=now - timedelta(weeks=20),
        closes_at=now - timedelta(weeks=13),
    )
    page = lead_inspector_client.get(reverse("consultations:staff_list"))
    text = page.content.decode()
    assert "Overdue" in text
    assert "The response to 1 closed consultation is overdue" in text


@pytest.mark.parametrize("n", [1, 8])
def test_the_staff_list_takes_one_query_however_many_consultations(
    lead_inspector_client, django_assert_num_queries, n
):
    for _ in range(n):
        ResponseFactory.create_batch(2, consultation=ConsultationFactory())
    with django_assert_num_queries(SIGNED_IN_QUERIES + 1):
        lead_inspector_client.get(reverse("consultations:staff_list"))


@pytest.mark.parametrize("n", [1, 8])
def test_the_staff_consultation_page_takes_constant_queries(
    lead_inspector_client, django_assert_num_queries, n
):
    consultation = ConsultationFactory()
    for i in range(n):
        QuestionFactory(consultation=consultation)
        DocumentFactory(consultation=consultation)
        AudienceFactory(consultation=consultation, name=f"part {i}")
        ResponseFactory(consultation=consultation)
    url = reverse("consultations:staff_detail", kwargs={"pk": consultation.pk})
    with django_assert_num_queries(SIGNED_IN_QUERIES + 5):
        lead_inspector_client.get(url)


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        ("infected", "The selected file contains a virus"),
        ("error", "could not be checked for viruses"),
    ],
)
def test_a_file_the_virus_scanner_refuses_is_not_kept(
    admin_client, private_storage, monkeypatch, scan, message
):
    monkeypatch.setattr("sfoqa.antivirus.scan_bytes", lambda data: scan)
    consultation = ConsultationFactory()
    response = admin_client.post(
        reverse("consultations:document_add", kwargs={"pk": consultation.pk}),
        {"title": "Scanned", "kind": "consultation", "upload": upload(pdf_bytes())},
    )
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


def test_a_clean_scan_is_recorded(admin_client, private_storage, monkeypatch):
    monkeypatch.setattr("sfoqa.antivirus.scan_bytes", lambda data: "clean")
    consultation = ConsultationFactory()
    admin_client.post(
        reverse("consultations:document_add", kwargs={"pk": consultation.pk}),
        {"title": "Scanned", "kind": "consultation", "upload": upload(pdf_bytes())},
    )
    assert Document.objects.get().scan_status == Document.ScanStatus.CLEAN


def test_the_admin_home_page_flags_overdue_responses(admin_client):
    now = timezone.now()
    ConsultationFactory(
        title="Long closed",
        opens_at=now - timedelta(weeks=20),
        closes_at=now - timedelta(weeks=13),
    )
    ConsultationFactory(
        title="Recently closed",
        opens_at=now - timedelta(weeks=8),
        closes_at=now - timedelta(weeks=2),
    )
    text = admin_client.get(reverse("home")).content.decode()
    assert "responses are overdue" in text
    assert "Long closed" in text
    assert "Recently closed" not in text


def test_the_admin_home_page_says_nothing_when_none_is_overdue(admin_client):
    assert (
        "responses are overdue"
        not in admin_client.get(reverse("home")).content.decode()
    )
