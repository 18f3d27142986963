"""A signed-in request finds its user as Django's model backend would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import UserBackend
from accounts.models import User, UserSession
from accounts.sessions import SessionStore, read_with_session
from tests.conftest import SIGNED_IN_QUERIES, sign_in


@pytest.mark.django_db
def test_the_user_is_the_one_the_orm_reads(users):
    user = users["inspector"]
    found = UserBackend().get_user(user.pk)
    assert found == user
    assert (found.email, found.full_name, found.password) == (
        user.email,
        user.full_name,
        user.password,
    )
    assert UserBackend().get_user(str(user.pk)) == user
    assert UserBackend().get_user(user.pk + 1000) is None


@pytest.mark.django_db
def test_an_inactive_user_is_nobody(users):
    user = users["inspector"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert UserBackend().get_user(user.pk) is None


@pytest.mark.django_db
def test_a_deactivated_users_next_request_is_signed_out(inspector_client, users):
    home = reverse("home")
    assert inspector_client.get(home).status_code == 200
    users["inspector"].__class__.objects.filter(pk=users["inspector"].pk).update(
        is_active=False
    )
    response = inspector_client.get(reverse("reviews:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_a_changed_password_signs_out_other_sessions(inspector_client, users):
    user = users["inspector"]
    user.set_password("a-new-long-passphrase-2026")
    user.save(update_fields=["password"])
    response = inspector_client.get(reverse("reviews:list"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_signed_in_page_still_reads_the_user_once(
    inspector_client, django_assert_num_queries
):
    inspector_client.get(reverse("home"))
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        inspector_client.get(reverse("accounts:keep_alive"))


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_the_session_and_its_user_are_read_in_one_statement(inspector_client, users):
    inspector_client.get(reverse("home"))
    response, sql = _queries(inspector_client, reverse("accounts:keep_alive"))
    assert response.wsgi_request.user == users["inspector"]
    assert "django_session" in sql[0] and "accounts_user" in sql[0]
    assert not [s for s in sql[1:] if '"accounts_user"' in s.split("WHERE")[0]]


@pytest.mark.django_db
def test_a_session_with_no_sign_in_record_reads_its_user_itself(
    inspector_client, users
):
    UserSession.objects.all().delete()
    response, sql = _queries(inspector_client, reverse("accounts:keep_alive"))
    assert response.wsgi_request.user == users["inspector"]
    assert response.wsgi_request.user.is_verified()
    # The user and the device that verified the session, each read itself.
    assert len(sql) == SIGNED_IN_QUERIES + 2


@pytest.mark.django_db
def test_a_sign_in_record_naming_someone_else_signs_nobody_in_as_them(
    inspector_client, users
):
    # Should the record ever name another user, the session's own user is
    # the one signed in: the user read beside the session must be the one
    # the session names.
    UserSession.objects.update(user=users["admin"])
    response, _ = _queries(inspector_client, reverse("home"))
    assert response.wsgi_request.user == users["inspector"]


@pytest.mark.django_db
def test_the_user_read_with_a_session_is_taken_once(client, users):
    sign_in(client, users["inspector"])
    store = SessionStore(client.session.session_key)
    store.load()
    user = users["inspector"]
    assert read_with_session(users["admin"].pk) is None  # not theirs, and gone
    store.load()
    found = read_with_session(user.pk)
    assert found == user and found.password == user.password
    assert read_with_session(user.pk) is None


@pytest.mark.django_db
def test_the_user_read_with_a_session_has_every_value_as_the_orm_gives_it(
    client, users
):
    user = users["inspector"]
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    sign_in(client, user)
    SessionStore(client.session.session_key).load()
    found = read_with_session(user.pk)
    expected = User.objects.get(pk=user.pk)
    assert {f.attname: getattr(found, f.attname) for f in User._meta.fields} == {
        f.attname: getattr(expected, f.attname) for f in User._meta.fields
    }
    assert found._state.db == "default" and not found._state.adding


@pytest.fixture
def organisations_read_along(monkeypatch):
    """A count of organisations, and a text, read along on the home page."""
    from accounts import sessions
    from accounts.models import Organisation

    def organisations(connection):
        table = connection.ops.quote_name(Organisation._meta.db_table)
        return [f"(SELECT COUNT(*) FROM {table})", "'fixed'"]  # noqa: S608

    monkeypatch.setattr(sessions, "_along", {})
    monkeypatch.setattr(sessions, "_along_on", {})
    sessions.read_along("organisations", organisations, pages=["home"])
    return lambda: (Organisation.objects.count(), "fixed")


@pytest.mark.django_db
def test_values_read_along_are_the_pages_and_the_requests_alone(
    client, users, organisations_read_along
):
    from django.test import Client

    from accounts.models import Organisation
    from accounts.sessions import read_along_values

    sign_in(client, users["inspector"])
    store = SessionStore(client.session.session_key)
    store.page = reverse("home")
    assert read_along_values("organisations") is None  # not read yet
    with CaptureQueriesContext(connection) as queries:
        store.load()
    assert len(queries) == 1  # in the session's own statement
    assert read_along_values("organisations") == organisations_read_along()
    assert read_along_values("anything else") is None
    # The next session read reads them afresh.
    Organisation.objects.create(name="Read along", kind=Organisation.Kind.PARTNER)
    store = SessionStore(client.session.session_key)
    store.page = reverse("home")
    store.load()
    assert read_along_values("organisations") == organisations_read_along()
    # A request that reads no session leaves nothing of it when it ends.
    Client().get(reverse("healthz"))
    assert read_along_values("organisations") is None
    # Another page, or none, reads nothing along.
    for page in (reverse("reviews:list"), None):
        store = SessionStore(client.session.session_key)
        store.page = page
        store.load()
        assert store.get("_auth_user_id") is not None
        assert read_along_values("organisations") is None
    # Nor does a session that has ended.
    client.logout()
    store = SessionStore(store.session_key)
    store.page = reverse("home")
    store.load()
    assert read_along_values("organisations") is None


@pytest.mark.django_db
def test_only_a_read_of_the_page_reads_along(
    inspector_client, organisations_read_along
):
    home, other = reverse("home"), reverse("reviews:list")
    for method, path, reads in [
        ("get", home, True),
        ("head", home, True),
        ("post", home, False),  # may write: reads nothing along
        ("get", other, False),
        ("get", f"{home}?page=2", True),
    ]:
        with CaptureQueriesContext(connection) as queries:
            getattr(inspector_client, method)(path)
        session_statement = queries.captured_queries[0]["sql"]
        assert ("'fixed'" in session_statement) is reads, (method, path)
