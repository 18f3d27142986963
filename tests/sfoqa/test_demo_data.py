"""After `seed_demo`, a newcomer signing in as each role finds something in
every list the page catalogue gives that role."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from ratings.models import Assessment
from reviews.models import Allocation
from sfoqa.dates import uk_today
from tests.browser.catalogue import PAGES
from tests.conftest import sign_in

DEMO_USERS = {
    Role.INSPECTOR: "inspector@example.org",
    Role.LEAD_INSPECTOR: "lead.inspector@example.org",
    Role.HMPPS_SFO: "hmpps@example.org",
    Role.PANEL_MEMBER: "panel.member@example.org",
    Role.ADMIN: "admin@example.org",
    Role.BENCHMARK_PARTICIPANT: "rhys.reviewer@example.org",
}
# Pages that are forms or help, not lists: nothing to find in them.
NOT_LISTS = {
    "accounts:user_invite",
    "consultations:create",
    "ratings:benchmark_create",
    "reviews:new",
    "reviews:bulk_upload",
    "reviews:sample_round_new",
    "panels:create",
    "api_docs",
}
# Catalogued to show the refusal: administrators do not read case lists.
REFUSED = {(Role.ADMIN, "reviews:list")}
# The service's empty states: "No reviews yet.", "Nothing is waiting for
# moderation.", "There are no sessions for you yet."
EMPTY = re.compile(
    r"\b(No [a-z ]+ (yet|match[a-z ]*|has been [a-z ]+ yet)"
    r"|Nothing (new )?is (waiting|allocated)[a-z ]*"
    r"|There are no [a-z ]+)\.",
)
ROW = re.compile(r'<tbody class="govuk-table__body">\s*<tr', re.S)


def _list_pages():
    """(role, URL name) of every catalogued page a role opens with no object."""
    pages = {
        (role, name)
        for role, name, kwargs in PAGES
        if role and kwargs.__name__ == "no_args" and name not in NOT_LISTS
    } - REFUSED
    # Lists whose catalogue entry makes its own rows: the demo must make them.
    pages.add((Role.HMPPS_SFO, "ratings:published_list"))
    return sorted(pages)


@pytest.fixture
def demo(
    db, settings, tmp_path, run_tasks_in_process, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    # Emails and the QA report PDFs follow the commits, as in `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def _client(role) -> Client:
    return sign_in(Client(), User.objects.get(email=DEMO_USERS[role]))


def test_every_catalogued_list_has_something_in_it_after_seeding(demo):
    empty = []
    for role, name in _list_pages():
        page = _client(role).get(reverse(name))
        html = page.content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        if (
            page.status_code != 200
            or EMPTY.search(text)
            or ("govuk-table" in html and not ROW.search(html))
        ):
            found = EMPTY.search(text)
            empty.append((role, name, page.status_code, found and found.group(0)))
    assert empty == []
    _quality_assurance_in_every_state()


def _quality_assurance_in_every_state():
    statuses = set(
        Assessment.objects.filter(session_review__isnull=True).values_list(
            "status", flat=True
        )
    )
    assert {"submitted", "signed_off", "published", "returned"} <= statuses
    assert Allocation.objects.filter(due_date__lt=uk_today(), is_current=True).exists()
    hmpps = _client(Role.HMPPS_SFO)
    listing = hmpps.get(reverse("ratings:published_list")).content.decode()
    report = re.search(r'href="(/[^"]*(report|pdf)[^"]*)"', listing)
    assert report, "HMPPS has no QA report to download"
    downloaded = hmpps.get(report.group(1))
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
