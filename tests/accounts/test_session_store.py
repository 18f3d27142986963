"""The session store reads the row Django's database store would read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


@pytest.mark.django_db
def test_a_live_session_is_read_with_its_data():
    key = _saved(colour="green", count=3)
    store = SessionStore(key)
    assert (store["colour"], store["count"]) == ("green", 3)
    assert store.session_key == key


@pytest.mark.django_db
def test_an_expired_session_is_not_read_and_its_key_is_dropped():
    key = _saved(colour="green")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None


@pytest.mark.django_db
def test_expiry_is_compared_as_the_same_moment_whatever_the_clocks_zone(monkeypatch):
    # 11:58pm in summer is 10:58pm UTC: read as text, the session saved at
    # that moment would already look expired on SQLite.
    moment = datetime(2020, 6, 7, 23, 58, 59, tzinfo=ZoneInfo("Europe/London"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    key = _saved(colour="green")
    assert SessionStore(key)["colour"] == "green"
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: moment + timedelta(hours=1)
    )
    assert "colour" not in SessionStore(key)


@pytest.mark.django_db
def test_a_deleted_session_is_not_read():
    key = _saved(colour="green")
    Session.objects.filter(session_key=key).delete()
    assert "colour" not in SessionStore(key)


@pytest.mark.django_db
def test_another_sessions_key_reads_only_that_session():
    first, second = _saved(owner="first"), _saved(owner="second")
    assert SessionStore(first)["owner"] == "first"
    assert SessionStore(second)["owner"] == "second"


@pytest.mark.django_db
def test_an_unknown_or_hostile_key_reads_nothing():
    _saved(owner="someone")
    for key in ["x" * 32, "' OR '1'='1' --", "%", "abcdefgh%"]:
        assert dict(SessionStore(key).items()) == {}
