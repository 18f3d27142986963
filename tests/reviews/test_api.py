import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import AuditEvent, Organisation
from reviews.api import ReviewApiThrottle
from reviews.models import Review
from tests.reviews.conftest import stored_files
from tests.reviews.factories import ReviewFactory, data_row, unique_pdf
from tests.sfoqa.files import hostile_uploads, png_bytes, upload

pytestmark = pytest.mark.django_db
LIST = reverse("reviews_api:list")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(users):
    key = Token.objects.create(user=users["hmpps_sfo"]).key
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_without_a_token_the_api_answers_401(client, users):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided."
    }
    assert client.get(LIST, HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    assert (
        AuditEvent.objects.filter(action="api_request", outcome="refused").count() == 2
    )


def test_a_session_is_not_enough(hmpps_client):
    assert hmpps_client.get(LIST).status_code == 401


def test_a_token_of_a_user_outside_hmpps_answers_403(users):
    key = Token.objects.create(user=users["lead_inspector"]).key
    response = Client().get(LIST, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert "HMPPS SFO team" in response.json()["detail"]


def test_hmpps_system_sends_a_review(api, media_root):
    body = {
        **data_row(),
        "inchoate": "false",
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(unique_pdf(), "review.pdf"),
    }
    del body["mappa_level"]
    response = api.post(LIST, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["hmpps_reference"] == "SFO-2025-0100"
    assert data["status"] == "received"
    assert data["documents"][0]["scan_status"] in ("pending", "not_scanned")
    review = Review.objects.get()
    assert review.events.get().details == {"channel": "api"}
    event = AuditEvent.objects.filter(action="api_request").latest("id")
    assert event.details == {
        "method": "POST",
        "endpoint": "reviews_api:list",
        "status": 201,
    }


def test_validation_errors_come_back_as_clear_json(api, media_root, reference_data):
    ReviewFactory(hmpps_reference="SFO-2025-0100")
    body = {
        **data_row(crn="12", region="atlantis", charge_date="2024-04-01"),
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(png_bytes(), "review.pdf"),
    }
    del body["mappa_level"]
    response = api.post(LIST, body)
    assert response.status_code == 400
    errors = response.json()
    assert errors["crn"] == ["Enter a CRN in the correct format, like X123456"]
    assert "region" in errors
    assert "already received" in errors["hmpps_reference"][0]
    assert errors["review_document"] == [
        "The selected file must be a PDF or Word document (DOCX)"
    ]
    assert Review.objects.count() == 1


def test_the_api_lists_only_the_callers_organisations_reviews(api, reference_data):
    other = Organisation.objects.create(name="Other HMPPS", kind="hmpps")
    mine = ReviewFactory(status=Review.Status.ALLOCATED)
    theirs = ReviewFactory(organisation=other)
    listing = api.get(LIST).json()
    assert [r["hmpps_reference"] for r in listing["results"]] == [mine.hmpps_reference]
    assert listing["results"][0]["status"] == "in_qa"
    detail = api.get(reverse("reviews_api:detail", kwargs={"pk": mine.pk}))
    assert detail.json()["status_label"] == "In quality assurance"
    # Another organisation's review does not exist, as far as this caller knows.
    assert (
        api.get(reverse("reviews_api:detail", kwargs={"pk": theirs.pk})).status_code
        == 404
    )


def test_the_api_is_rate_limited(api, monkeypatch):
    monkeypatch.setattr(
        ReviewApiThrottle, "THROTTLE_RATES", {"reviews_api": "3/minute"}
    )
    codes = [api.get(LIST).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_schema_and_docs_are_for_signed_in_people(client, hmpps_client):
    schema = hmpps_client.get(reverse("api_schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/reviews/" in text and "review_document" in text
    assert "SFO quality assurance intake API" in text
    docs = hmpps_client.get(reverse("api_docs")).content.decode()
    assert "Authorization: Token" in docs and "/api/schema/" in docs
    assert client.get(reverse("api_schema")).status_code == 302


def test_admins_issue_tokens_to_hmpps_system_users_only(users, capsys):
    call_command("create_api_token", users["hmpps_sfo"].email)
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=users["hmpps_sfo"]).key == key
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", users["inspector"].email)


def test_another_organisations_reference_cannot_be_used_through_the_api(
    api, media_root, reference_data
):
    other = Organisation.objects.create(
        name="HMPPS Wales SFO team", kind=Organisation.Kind.HMPPS
    )
    ReviewFactory(hmpps_reference="SFO-2025-0100", organisation=other)
    body = {
        **data_row(),
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(unique_pdf(), "review.pdf"),
    }
    del body["mappa_level"]
    response = api.post(LIST, body)
    assert response.status_code == 400
    assert response.json() == {"hmpps_reference": ["This reference cannot be used"]}
    assert Review.objects.count() == 1


def test_another_organisations_file_cannot_be_used_through_the_api(
    api, media_root, reference_data
):
    from django.core.files.storage import default_storage

    from tests.reviews.factories import add_document

    other = Organisation.objects.create(
        name="HMPPS Wales SFO team", kind=Organisation.Kind.HMPPS
    )
    document = add_document(ReviewFactory(organisation=other))
    with default_storage.open(document.storage_name) as stored:
        content = stored.read()
    body = {
        **data_row(),
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(content, "review.pdf"),
    }
    del body["mappa_level"]
    response = api.post(LIST, body)
    assert response.status_code == 400
    assert response.json() == {"review_document": ["This file cannot be used"]}


HOSTILE = hostile_uploads()


@pytest.mark.parametrize(
    ("content", "name", "message"), HOSTILE.values(), ids=HOSTILE.keys()
)
def test_hostile_and_empty_files_are_refused_with_the_upload_checks_message(
    api, media_root, content, name, message
):
    body = {
        **data_row(),
        "family_meeting_offered": "true",
        "family_meeting_held": "false",
        "review_document": upload(content, name),
    }
    del body["mappa_level"]
    response = api.post(LIST, body)
    assert response.status_code == 400
    assert response.json() == {"review_document": [message]}
    assert not Review.objects.exists()
    assert stored_files(media_root) == []
