"""The public pages: the listing, a consultation's page and its documents."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from consultations.models import Document
from tests.consultations.factories import (
    AudienceFactory,
    ConsultationFactory,
    DocumentFactory,
    ResponseFactory,
)
from tests.sfoqa.files import pdf_bytes

LONDON = ZoneInfo("Europe/London")


def _closed(year, **fields):
    return ConsultationFactory(
        opens_at=datetime(year, 1, 10, tzinfo=LONDON),
        closes_at=datetime(year, 2, 10, 23, 59, tzinfo=LONDON),
        **fields,
    )


@pytest.mark.django_db
def test_the_listing_shows_open_consultations_first_then_closed_by_year(client):
    open_one = ConsultationFactory(
        title="Open one",
        closes_at=datetime(2099, 3, 5, 0, 0, tzinfo=LONDON),
    )
    _closed(2019, title="Closed 2019")
    _closed(2020, title="Closed 2020", response_published_at=timezone.now())
    ConsultationFactory(title="Secret draft", published_at=None)

    page = client.get(reverse("consultations:list")).content.decode()

    assert page.index("Open one") < page.index("Closed 2020") < page.index("2019")
    assert "Closes at midnight (00:00) on 5 March 2099" in page
    assert "Our response has been published." in page
    assert "We will publish our response shortly." in page
    assert "Secret draft" not in page
    assert reverse("consultations:detail", kwargs={"slug": open_one.slug}) in page


@pytest.mark.django_db
def test_a_draft_is_not_found_by_the_public(client):
    draft = ConsultationFactory(published_at=None)
    url = reverse("consultations:detail", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_open_consultation_page_says_when_it_closes_and_how_to_respond(client):
    consultation = ConsultationFactory(
        closes_at=datetime(2099, 3, 5, 0, 0, tzinfo=LONDON)
    )
    DocumentFactory(consultation=consultation, title="The proposals", size=261_345)
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": consultation.slug})
    ).content.decode()
    assert "This consultation closes at midnight (00:00) on 5 March 2099." in page
    assert "The proposals</a> (PDF, 261 KB)" in page
    assert reverse("consultations:respond", kwargs={"slug": consultation.slug}) in page
    assert "mailto:consultations@example.org" in page
    assert '<ul class="govuk-list govuk-list--bullet">\n<li>on this</li>' in page


@pytest.mark.django_db
def test_a_closed_consultation_says_when_it_closed(client):
    consultation = _closed(2021)
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": consultation.slug})
    ).content.decode()
    assert "This consultation closed at 11:59pm on 10 February 2021." in page
    assert "Respond online" not in page


@pytest.mark.django_db
def test_the_published_response_counts_responses_by_audience(client):
    consultation = _closed(
        2017,
        response_published_at=datetime(2018, 2, 15, 10, tzinfo=UTC),
        response_summary="The reports below summarise the responses.",
    )
    probation = AudienceFactory(consultation=consultation, name="probation", position=0)
    youth = AudienceFactory(consultation=consultation, name="youth", position=1)
    ResponseFactory.create_batch(25, consultation=consultation, audience=probation)
    ResponseFactory.create_batch(
        42, consultation=consultation, audience=youth, channel="post"
    )
    DocumentFactory(consultation=consultation, kind=Document.Kind.RESPONSE)

    page = client.get(
        reverse("consultations:detail", kwargs={"slug": consultation.slug})
    ).content.decode()

    assert (
        "We received 25 responses to the probation consultation and "
        "42 responses to the youth consultation." in page
    )
    assert "We published our response on 15 February 2018." in page
    assert "The reports below summarise the responses." in page


@pytest.mark.django_db
def test_a_single_audience_count_uses_the_singular(client):
    consultation = _closed(2020, response_published_at=timezone.now())
    ResponseFactory(consultation=consultation)
    page = client.get(
        reverse("consultations:detail", kwargs={"slug": consultation.slug})
    ).content.decode()
    assert "We received 1 response." in page


@pytest.mark.django_db
def test_public_downloads_are_attachments_and_audited(client, private_storage):
    name = default_storage.save("consultations/doc.pdf", ContentFile(pdf_bytes()))
    document = DocumentFactory(storage_name=name, title="The proposals")

    response = client.get(reverse("consultations:document", kwargs={"pk": document.pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION_DOCUMENT_DOWNLOADED,
        object_id=str(document.pk),
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["draft", "unpublished response"])
def test_the_public_cannot_download_what_is_not_public_yet(client, case):
    if case == "draft":
        document = DocumentFactory(consultation=ConsultationFactory(published_at=None))
    else:
        document = DocumentFactory(kind=Document.Kind.RESPONSE)
    url = reverse("consultations:document", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 404


def _grow(n):
    now = timezone.now()
    for i in range(n):
        open_one = ConsultationFactory()
        closed = ConsultationFactory(
            opens_at=now - timedelta(days=400 + 40 * i),
            closes_at=now - timedelta(days=380 + 40 * i),
            response_published_at=now if i % 2 else None,
        )
        ConsultationFactory(opens_at=now + timedelta(days=3 + i))
        for consultation in (open_one, closed):
            DocumentFactory.create_batch(2, consultation=consultation)
            ResponseFactory.create_batch(3, consultation=consultation)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_the_listing_takes_three_queries_however_many_consultations(
    client, django_assert_num_queries, n
):
    _grow(n)
    with django_assert_num_queries(3):
        response = client.get(reverse("consultations:list"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 12])
def test_a_consultation_page_takes_three_queries_however_much_it_holds(
    client, django_assert_num_queries, n
):
    consultation = ConsultationFactory(response_published_at=timezone.now())
    for i in range(n):
        audience = AudienceFactory(consultation=consultation, name=f"part {i}")
        ResponseFactory.create_batch(2, consultation=consultation, audience=audience)
        DocumentFactory(consultation=consultation)
        DocumentFactory(consultation=consultation, kind=Document.Kind.RESPONSE)
    url = reverse("consultations:detail", kwargs={"slug": consultation.slug})
    with django_assert_num_queries(3):
        response = client.get(url)
    assert f"2 responses to the part {n - 1} consultation" in response.content.decode()


def _page(client, consultation) -> str:
    url = reverse("consultations:detail", kwargs={"slug": consultation.slug})
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_a_response_expected_soon_is_promised_only_within_12_weeks(client):
    recent = ConsultationFactory(
        opens_at=timezone.now() - timedelta(weeks=8),
        closes_at=timezone.now() - timedelta(weeks=4),
    )
    assert "We will publish our response shortly." in _page(client, recent)
    old = _closed(2021)
    page = _page(client, old)
    assert "This consultation closed at" in page
    assert "shortly" not in page


@pytest.mark.django_db
def test_an_unknown_response_count_is_not_given_as_zero(client):
    published = _closed(2020, response_published_at=timezone.now())
    page = _page(client, published)
    assert "Our response" in page
    assert "We received" not in page


@pytest.mark.django_db
def test_a_stand_in_document_shows_the_size_stated_for_the_original(client):
    consultation = _closed(2021)
    DocumentFactory(consultation=consultation, size=1_800, stated_size=261_000)
    assert "PDF, 261 KB" in _page(client, consultation)


@pytest.mark.django_db
def test_closed_consultations_are_grouped_by_the_year_they_are_listed_under(client):
    _closed(2020, title="Framework 2021", listed_year=2021)
    _closed(2020, title="Framework 2020")
    page = client.get(reverse("consultations:list")).content.decode()
    heading_2021 = page.index(">2021</h3>")
    heading_2020 = page.index(">2020</h3>")
    assert heading_2021 < page.index("Framework 2021") < heading_2020
    assert heading_2020 < page.index("Framework 2020")
