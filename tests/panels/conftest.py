import pytest

from accounts.roles import Role
from tests.conftest import sign_in
from tests.panels.factories import (
    add_action,
    add_learning,
    add_meeting,
    add_paper,
    make_panel,
    partner,
)


@pytest.fixture
def lead(users):
    return users[Role.LEAD_INSPECTOR]


@pytest.fixture
def police(reference_data):
    return partner("police", email="police.partner@example.org")


@pytest.fixture
def health(reference_data):
    return partner("mental-health", email="health.partner@example.org")


@pytest.fixture
def panel(lead, police):
    return make_panel(lead, members=[police])


@pytest.fixture
def other_panel(lead, health):
    """A panel the police partner does not sit on, with something of everything."""
    panel = make_panel(lead, title="Another panel", members=[health])
    add_meeting(panel, lead)
    add_paper(panel, lead)
    item = add_learning(panel, lead)
    add_action(panel, lead, slug="mental-health", item=item)
    return panel


@pytest.fixture
def police_client(client, police):
    return sign_in(client, police)


@pytest.fixture
def lead_client(client, lead):
    return sign_in(client, lead)


@pytest.fixture(autouse=True)
def _tasks_in_process(run_tasks_in_process):
    """Emails sent by tasks land in the outbox whatever REDIS_URL says."""
