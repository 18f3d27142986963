"""
The second factor that verified a sign-in is read with the session, in its
one statement, and django-otp's checks of it still decide whether the
session counts as verified.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import IdentityProviderDevice, UserSession
from accounts.roles import Role
from tests.accounts.test_sign_in import current_code, post_password
from tests.conftest import SIGNED_IN_QUERIES

pytestmark = pytest.mark.django_db

KEEP_ALIVE = reverse("accounts:keep_alive")


def _visit(client, url=KEEP_ALIVE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def _device_reads(sql: list[str]) -> list[str]:
    return [s for s in sql if s.startswith('SELECT "otp_totp_totpdevice"')]


def test_signing_in_records_the_device_and_later_pages_read_it_with_the_session(
    client, make_user
):
    inspector = make_user(Role.INSPECTOR, email="ines@example.org")
    device = TOTPDevice.objects.create(user=inspector, name="app", confirmed=True)
    post_password(client, inspector.email)
    client.post(
        reverse("accounts:two_factor_verify"), {"code": current_code(device.key)}
    )
    assert UserSession.objects.get(user=inspector).totp_device == device

    response, sql = _visit(client)
    user = response.wsgi_request.user
    assert user.is_verified() and user.otp_device == device
    assert len(sql) == SIGNED_IN_QUERIES
    assert "otp_totp_totpdevice" in sql[0]


def test_a_device_removed_after_sign_in_leaves_the_session_unverified(
    inspector_client, users
):
    TOTPDevice.objects.filter(user=users[Role.INSPECTOR]).delete()
    response, _ = _visit(inspector_client, reverse("home"))
    assert response.status_code == 302  # signed out, to sign in again
    assert not response.wsgi_request.user.is_authenticated


def test_a_device_no_longer_confirmed_does_not_verify_the_session(
    inspector_client, users
):
    TOTPDevice.objects.filter(user=users[Role.INSPECTOR]).update(confirmed=False)
    response, sql = _visit(inspector_client, reverse("home"))
    assert response.status_code == 302  # signed out, to sign in again
    assert not response.wsgi_request.user.is_authenticated
    assert _device_reads(sql) == []  # the one read with the session was refused


def test_a_record_naming_another_device_is_not_taken_for_the_sessions_own(
    inspector_client, users
):
    # Should the record ever name a device other than the one the session
    # was verified with, the session's own device is read, as django-otp
    # reads it, and is the one that counts.
    own = TOTPDevice.objects.get(user=users[Role.INSPECTOR])
    other = TOTPDevice.objects.create(
        user=users[Role.ADMIN], name="theirs", confirmed=True
    )
    UserSession.objects.update(totp_device=other)
    response, sql = _visit(inspector_client)
    assert response.wsgi_request.user.otp_device == own
    assert len(_device_reads(sql)) == 1


def test_a_device_read_with_one_session_serves_no_later_request(
    inspector_client, users
):
    inspector_client.get(KEEP_ALIVE)
    UserSession.objects.update(totp_device=None)
    response, sql = _visit(inspector_client)
    assert response.wsgi_request.user.is_verified()
    assert len(_device_reads(sql)) == 1


def test_a_department_sign_in_is_read_with_the_session_too(client, make_user):
    from accounts import services

    inspector = make_user(Role.INSPECTOR, email="iris@example.org")
    request = client.get(reverse("accounts:sign_in")).wsgi_request
    request.session = client.session
    services.sign_in_with_provider(request=request, user=inspector)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    device = IdentityProviderDevice.objects.get(user=inspector)
    assert UserSession.objects.get(user=inspector).provider_device == device

    response, sql = _visit(client)
    user = response.wsgi_request.user
    assert user == inspector and user.otp_device == device
    assert len(sql) == SIGNED_IN_QUERIES
