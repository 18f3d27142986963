import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import CACHED_ROLES, LAST_SEEN, SIGNED_IN_AT
from accounts.migrations import load_accounts_reference_data
from accounts.models import UserSession
from accounts.roles import Role
from ratings.migrations import load_ratings_reference_data
from reviews.migrations import load_reviews_reference_data
from tests.factories import UserFactory

ROLES = [role.value for role in Role]

# Every signed-in request: its session with its user and the device that
# verified it, in one statement. (The roles come from the session's copy;
# the session is saved again only once a minute, to renew the idle timeout.)
SIGNED_IN_QUERIES = 1


def sign_in(client: Client, user) -> Client:
    """Sign a test client in as `user`, second factor included."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Test authenticator"}
    )
    client.force_login(user, backend="accounts.backends.UserBackend")
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN] = timezone.now().timestamp()
    session["otp_device_id"] = device.persistent_id
    fresh = type(user).objects.get(pk=user.pk)
    session[CACHED_ROLES] = [fresh.roles_version, sorted(fresh.roles)]
    session.save()
    # As signing in records it: the session store reads the user with it.
    UserSession.objects.create(
        user=user, session_key=session.session_key, totp_device=device
    )
    return client


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    """Each test stores files in a folder of its own, so none sees another's."""
    from django.core.files import storage
    from django.utils.functional import empty

    settings.MEDIA_ROOT = str(tmp_path / "media")
    storage.default_storage._wrapped = storage.storages.create_storage(
        {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT},
        }
    )
    yield
    storage.default_storage._wrapped = empty


@pytest.fixture(autouse=True)
def fresh_figures():
    """Each test reads the home page's and dashboard's figures afresh: the
    process keeps them under the data's version, which SQLite can give
    again once a test's rows are rolled back."""
    from insights.dashboards import _recent

    _recent.clear()


@pytest.fixture
def run_tasks_in_process():
    """Run Celery tasks in the test process, whatever REDIS_URL says."""
    from sfoqa.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def reference_data(db):
    """
    The rows the data migrations load. Transactional tests (browser, worker)
    empty every table after each test, so load them again, idempotently.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.exists():
        return  # the migrations' rows are still there
    load_accounts_reference_data(apps, schema_editor=None)
    load_ratings_reference_data(apps, schema_editor=None)
    load_reviews_reference_data(apps, schema_editor=None)


@pytest.fixture
def make_user(reference_data):
    def make(*roles, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by role name."""
    return {role: make_user(role, email=f"{role}@example.org") for role in ROLES}


@pytest.fixture
def client_for(users):
    """A signed-in client for a role name, or an anonymous one for None."""

    def make(role: str | None) -> Client:
        client = Client()
        return sign_in(client, users[role]) if role else client

    return make


@pytest.fixture
def inspector_client(client_for):
    return client_for(Role.INSPECTOR)


@pytest.fixture
def lead_inspector_client(client_for):
    return client_for(Role.LEAD_INSPECTOR)


@pytest.fixture
def hmpps_client(client_for):
    return client_for(Role.HMPPS_SFO)


@pytest.fixture
def panel_member_client(client_for):
    return client_for(Role.PANEL_MEMBER)


@pytest.fixture
def admin_client(client_for):
    return client_for(Role.ADMIN)
