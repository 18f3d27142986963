import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from tests.conftest import SIGNED_IN_QUERIES
from tests.factories import AuditEventFactory

Action = AuditEvent.Action

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is PostgreSQL's; CI runs this on PostgreSQL",
)


@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_to_change_an_audit_event():
    event = AuditEventFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.SIGN_OUT)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.SIGN_IN


@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_audit_event():
    event = AuditEventFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgres_only
@pytest.mark.django_db
def test_raw_sql_cannot_change_it_either():
    event = AuditEventFactory()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "UPDATE accounts_auditevent SET outcome = 'failed' WHERE id = %s",
            [event.pk],
        )


@pytest.mark.django_db
def test_refused_pages_are_audited(inspector_client):
    assert inspector_client.get(reverse("accounts:user_list")).status_code == 403
    event = AuditEvent.objects.get(action=Action.PERMISSION_REFUSED)
    assert event.object_id == "accounts:user_list"
    assert event.roles == Role.INSPECTOR


@pytest.mark.django_db
def test_admin_filters_the_log_by_action_and_date(admin_client, users):
    AuditEventFactory(action=Action.SIGN_IN_FAILED, actor=users[Role.INSPECTOR])
    AuditEventFactory(action=Action.SIGN_OUT, actor=users[Role.INSPECTOR])
    response = admin_client.get(
        reverse("accounts:audit_log"), {"action": Action.SIGN_IN_FAILED}
    )
    events = list(response.context["page"].object_list)
    assert [e.action for e in events] == [Action.SIGN_IN_FAILED]


@pytest.mark.django_db
def test_an_impossible_date_range_is_explained(admin_client):
    response = admin_client.get(
        reverse("accounts:audit_log"),
        {
            "date_from_0": "5", "date_from_1": "3", "date_from_2": "2026",
            "date_to_0": "1", "date_to_1": "3", "date_to_2": "2026",
        },
    )  # fmt: skip
    assert (
        "The to date must be the same as or after the from date"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_export_is_formula_safe_and_itself_audited(admin_client, users):
    AuditEventFactory(
        action=Action.USER_CHANGED, actor=users[Role.INSPECTOR], object_id="=1+2"
    )
    response = admin_client.get(reverse("accounts:audit_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "When (UTC)"
    assert [row[5] for row in rows[1:] if row[5].endswith("1+2")] == ["'=1+2"]
    export = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert export.details["rows"] == len(rows) - 1


@pytest.mark.django_db
def test_audit_log_queries_do_not_grow_with_events(
    admin_client, users, django_assert_num_queries
):
    for _ in range(40):
        AuditEventFactory(actor=users[Role.INSPECTOR])
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        response = admin_client.get(reverse("accounts:audit_log"))
    assert len(response.context["page"].object_list) == 40
