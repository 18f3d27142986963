"""The session store reads the row Django's database store would read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends import base as session_backend
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import sessions
from accounts.sessions import SessionStore
from sfoqa.memo import Memo


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


@pytest.fixture
def checks(monkeypatch):
    """Each signature check of a session's text, counted."""
    monkeypatch.setattr(sessions, "_decoded", Memo(size=8))
    done = []
    loads = session_backend.signing.loads

    def counted(*args, **kwargs):
        done.append(args[0])
        return loads(*args, **kwargs)

    monkeypatch.setattr(session_backend.signing, "loads", counted)
    return done


@pytest.mark.django_db
def test_a_sessions_text_is_checked_once_and_each_read_gets_its_own_data(checks):
    key = _saved(colour="green", roles=[1, ["inspector"]])
    first = SessionStore(key)
    first["roles"][1].append("admin")  # changes this read's data only
    second = SessionStore(key)
    assert second["roles"] == [1, ["inspector"]]
    assert second["colour"] == "green"
    assert len(checks) == 1


@pytest.mark.django_db
def test_a_changed_session_is_checked_again(checks):
    key = _saved(colour="green")
    store = SessionStore(key)
    store["colour"] = "blue"
    store.save()
    assert SessionStore(key)["colour"] == "blue"
    assert len(checks) == 2


@pytest.mark.django_db
def test_a_text_that_fails_the_check_is_refused_every_time(checks, settings):
    key = _saved(colour="green")
    text = Session.objects.get(session_key=key).session_data
    Session.objects.filter(session_key=key).update(session_data=text[:-2] + "xx")
    assert "colour" not in SessionStore(key)
    assert "colour" not in SessionStore(key)
    assert len(checks) == 2
    # The true text, once kept, is checked again under another key.
    Session.objects.filter(session_key=key).update(session_data=text)
    assert SessionStore(key)["colour"] == "green"
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert "colour" not in SessionStore(key)
    assert len(checks) == 4
