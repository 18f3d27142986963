"""Hostile text in every field is shown as text on every page and in exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Document, Question, Theme
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    DocumentFactory,
    QuestionFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db
HOSTILE = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    "javascript:alert(1) {{7*7}} {% debug %} \u202eevil"
)
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
)
RAW = ["<script>alert(1)", "<img src=x", "onerror=alert(1)>"]


@pytest.fixture
def hostile():
    now = timezone.now()
    fields = {
        "title": HOSTILE,
        "summary": HOSTILE,
        "body": HOSTILE + "\n\n[click](javascript:alert(1))",
        "how_to_respond": HOSTILE,
        "postal_address": HOSTILE,
        "response_summary": HOSTILE,
    }
    open_one = ConsultationFactory(**fields)
    closed = ConsultationFactory(
        **fields,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        response_published_at=now,
    )
    for consultation in (open_one, closed):
        audience = AudienceFactory(consultation=consultation, name=HOSTILE[:100])
        question = QuestionFactory(
            consultation=consultation,
            text=HOSTILE,
            hint=HOSTILE,
            kind=Question.Kind.SINGLE,
            options=[HOSTILE[:200], "Other"],
        )
        DocumentFactory(consultation=consultation, title=HOSTILE)
        DocumentFactory(
            consultation=consultation, title=HOSTILE, kind=Document.Kind.RESPONSE
        )
        theme = Theme.objects.create(consultation=consultation, name=HOSTILE[:100])
        response = ResponseFactory(
            consultation=consultation,
            audience=audience,
            name=HOSTILE,
            organisation=HOSTILE,
            text=HOSTILE + "x" * 10_000,
            answers={str(question.pk): HOSTILE},
        )
        response.themes.add(theme)
    return open_one, closed


def _pages(open_one, closed):
    public = [
        reverse("consultations:list"),
        *[
            reverse(f"consultations:{name}", kwargs={"slug": c.slug})
            for c in (open_one, closed)
            for name in ("detail", "respond")
        ],
    ]
    staff = [reverse("consultations:staff_list")]
    for c in (open_one, closed):
        pk = {"pk": c.pk}
        staff += [
            reverse(f"consultations:{name}", kwargs=pk)
            for name in (
                "staff_detail", "preview", "edit", "response_list", "response_record",
                "theme_list", "response_publish", "publish", "question_add",
                "document_add",
            )
        ]  # fmt: skip
        staff.append(
            reverse(
                "consultations:response_detail", kwargs={"pk": c.responses.get().pk}
            )
        )
        staff.append(
            reverse("consultations:question_edit", kwargs={"pk": c.questions.get().pk})
        )
        staff.append(
            reverse(
                "consultations:document_remove", kwargs={"pk": c.documents.first().pk}
            )
        )
    return public, staff


def _assert_shown_as_text(page: str, url: str):
    for raw in RAW:
        assert raw not in page, url
    assert 'href="javascript:' not in page, url


def test_every_page_shows_hostile_text_as_text(hostile, client, admin_client):
    public, staff = _pages(*hostile)
    for url, who in [
        *((u, client) for u in public),
        *((u, admin_client) for u in staff),
    ]:
        response = who.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        _assert_shown_as_text(page, url)
        assert ESCAPED in page, url
        assert "{{7*7}}" in page or "{{ 7*7 }}" in page, url


def test_the_check_answers_page_shows_hostile_answers_as_text(hostile, client):
    open_one, _closed = hostile
    question = open_one.questions.get()
    url = reverse("consultations:respond", kwargs={"slug": open_one.slug})
    client.post(
        url,
        {
            question.field_name: HOSTILE[:200],
            "name": HOSTILE[:200],
            "organisation": HOSTILE[:200],
        },
    )
    page = client.get(
        reverse("consultations:respond_check", kwargs={"slug": open_one.slug})
    ).content.decode()
    _assert_shown_as_text(page, "check")
    assert "&lt;script&gt;" in page


def test_a_nul_byte_is_refused_by_the_form(hostile, client):
    open_one, _closed = hostile
    question = open_one.questions.get()
    url = reverse("consultations:respond", kwargs={"slug": open_one.slug})
    page = client.post(
        url, {question.field_name: "Other", "name": "a\x00b"}
    ).content.decode()
    assert "Null characters are not allowed" in page


def test_the_markdown_body_keeps_no_script_and_no_javascript_link(hostile, client):
    open_one, _closed = hostile
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": open_one.slug})
    ).content.decode()
    assert "alert(1)</script>" not in page
    assert '<a class="govuk-link" rel="noopener">click</a>' in page


def test_the_export_holds_hostile_text_verbatim(hostile, admin_client):
    _open, closed = hostile
    url = reverse("consultations:response_export_csv", kwargs={"pk": closed.pk})
    rows = list(csv.reader(io.StringIO(admin_client.get(url).content.decode())))
    assert HOSTILE in rows[1]
