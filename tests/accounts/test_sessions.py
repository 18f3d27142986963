from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from accounts.models import AuditEvent
from accounts.roles import Role
from tests.conftest import SIGNED_IN_QUERIES

HOME = reverse("home")


def test_idle_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.django_db
def test_a_session_idle_past_its_expiry_is_signed_out(inspector_client):
    assert inspector_client.get(HOME).status_code == 200
    key = inspector_client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = inspector_client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_a_request_a_minute_after_the_last_renewal_renews_the_expiry(inspector_client):
    inspector_client.get(HOME)
    session = inspector_client.session
    session[LAST_SEEN] = timezone.now().timestamp() - 61
    session.save()
    key = session.session_key
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    inspector_client.get(HOME)
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_requests_within_a_minute_do_not_write_the_session(
    inspector_client, django_assert_num_queries
):
    inspector_client.get(HOME)
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        inspector_client.get(reverse("pages:privacy"))


@pytest.mark.django_db
def test_keep_alive_always_pushes_the_idle_expiry_forward(inspector_client):
    inspector_client.get(HOME)
    key = inspector_client.session.session_key
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    inspector_client.post(reverse("accounts:keep_alive"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_a_session_older_than_ten_hours_ends_whatever_the_activity(inspector_client):
    session = inspector_client.session
    session[SIGNED_IN_AT] = (
        timezone.now() - timedelta(hours=10, seconds=1)
    ).timestamp()
    session.save()
    response = inspector_client.get(HOME)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_EXPIRED).exists()
    assert inspector_client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_a_session_just_under_ten_hours_goes_on(inspector_client):
    session = inspector_client.session
    session[SIGNED_IN_AT] = (
        timezone.now() - timedelta(hours=9, minutes=59)
    ).timestamp()
    session.save()
    assert inspector_client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_a_session_without_a_second_factor_is_ended(client, users):
    client.force_login(users[Role.INSPECTOR])
    session = client.session
    session[SIGNED_IN_AT] = timezone.now().timestamp()
    session.save()
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_keep_alive_answers_with_no_content(inspector_client):
    assert inspector_client.post(reverse("accounts:keep_alive")).status_code == 204


@pytest.mark.django_db
def test_signed_in_pages_carry_the_timeout_warning_settings(inspector_client):
    page = inspector_client.get(HOME).content.decode()
    assert 'data-idle-seconds="1740"' in page
    assert reverse("accounts:keep_alive") in page
