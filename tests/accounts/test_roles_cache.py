import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.middleware import CACHED_ROLES, LAST_SEEN, RENEW_AFTER_SECONDS
from accounts.roles import Role
from tests.conftest import SIGNED_IN_QUERIES
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = reverse("home")
REVIEWS = reverse("reviews:list")
WRITES = ("INSERT", "UPDATE", "DELETE")


def test_signed_in_home_reads_no_roles_and_writes_nothing(
    inspector_client, django_assert_num_queries
):
    inspector_client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        assert inspector_client.get(HOME).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    # The request's own queries, then the inspector's two home-page counts.
    assert len(sql) == SIGNED_IN_QUERIES + 2
    assert not [s for s in sql if "auth_group" in s]
    assert not [s for s in sql if s.lstrip().upper().startswith(WRITES)]


def test_a_change_of_roles_applies_from_the_next_request(lead_inspector_client, users):
    assert lead_inspector_client.get(REVIEWS).status_code == 200
    lead = users[Role.LEAD_INSPECTOR]
    services.user_update(
        by=users[Role.ADMIN],
        user=lead,
        full_name=lead.full_name,
        organisation=lead.organisation,
        roles=[Role.PANEL_MEMBER],
    )
    assert lead_inspector_client.get(REVIEWS).status_code == 403
    session = lead_inspector_client.session
    assert session[CACHED_ROLES][1] == [Role.PANEL_MEMBER]


def test_a_stale_copy_of_the_roles_is_not_used(lead_inspector_client):
    session = lead_inspector_client.session
    version, _ = session[CACHED_ROLES]
    session[CACHED_ROLES] = [version + 1, [Role.ADMIN]]
    session.save()
    assert lead_inspector_client.get(reverse("accounts:user_list")).status_code == 403
    assert lead_inspector_client.session[CACHED_ROLES] == [
        version,
        [Role.LEAD_INSPECTOR],
    ]


def test_signing_in_keeps_a_copy_of_the_roles(client, make_user, settings):
    settings.REQUIRE_2FA = False
    make_user(Role.INSPECTOR, email="ilse@example.org")
    response = client.post(
        reverse("accounts:sign_in"),
        {"email": "ilse@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session[CACHED_ROLES] == [0, [Role.INSPECTOR]]


def test_the_renewal_once_a_minute_reads_the_roles_afresh(lead_inspector_client, users):
    users[Role.LEAD_INSPECTOR].groups.clear()  # around the services
    session = lead_inspector_client.session
    session[LAST_SEEN] -= RENEW_AFTER_SECONDS + 1
    session.save()
    assert lead_inspector_client.get(REVIEWS).status_code == 403


def test_a_signed_in_page_reads_its_user_directly_with_its_second_factor_state(
    inspector_client, users
):
    request = inspector_client.get(HOME).wsgi_request
    # Not through the lazy wrappers of the authentication and OTP middleware.
    assert type(request.user) is type(users[Role.INSPECTOR])
    assert request.user.pk == users[Role.INSPECTOR].pk
    # Two-factor state, which the OTP middleware sets on the user it wraps.
    assert hasattr(request.user, "otp_device")
    assert callable(request.user.is_verified)
    assert request.user.roles == {Role.INSPECTOR}
