"""The audit log and its export say what each event is about in words."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from accounts.roles import Role
from tests.conftest import SIGNED_IN_QUERIES
from tests.factories import AuditEventFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(users, reference_data):
    review = ReviewFactory(hmpps_reference="DEMO-2025-0015")
    inspector = users[Role.INSPECTOR]
    AuditEventFactory(
        actor=inspector, object_type="reviews.review", object_id=str(review.pk)
    )
    AuditEventFactory(
        actor=inspector,
        action=AuditEvent.Action.PERMISSION_REFUSED,
        object_type="url",
        object_id="ratings:published_list",
        details={"method": "GET"},
    )
    AuditEventFactory(
        actor=inspector, object_type="accounts.user", object_id=str(inspector.pk)
    )
    AuditEventFactory(
        actor=inspector,
        object_type="reviews.review",
        object_id="999999",
        details={"filters": ["action", "actor"], "rows": 1200, "all": True},
    )
    return review


def test_the_audit_log_names_objects_as_people_say_them(admin_client, users, events):
    page = admin_client.get(reverse("accounts:audit_log")).content.decode()
    assert "Review DEMO-2025-0015" in page
    assert "The QA reports page" in page
    assert f"User {escape(users[Role.INSPECTOR].email)}" in page
    assert "Review 999999 (deleted)" in page
    assert "reviews.review" not in page
    assert "url ratings:published_list" not in page


def test_labels_cost_one_query_per_kind_of_object(
    admin_client, events, django_assert_num_queries
):
    # Two kinds looked up (reviews, users); pages need no query.
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2 + 2):
        admin_client.get(reverse("accounts:audit_log"))


def test_the_export_has_readable_details_and_labels(admin_client, events):
    response = admin_client.get(reverse("accounts:audit_export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    details = {row["Details"] for row in rows}
    assert "All: yes; Filters: action, actor; Rows: 1,200" in details
    assert "Method: GET" in details
    assert not any("{" in value for value in details)
    assert "Review DEMO-2025-0015" in {row["About"] for row in rows}
    assert "Permission refused" in {row["Action"] for row in rows}
