"""Whole journeys through the foundation, in a real browser."""

import re

import pytest
from django.core import mail
from django_otp.oath import TOTP

from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_signs_in_and_reaches_their_home(
    page, live_server, users, sign_in_as
):
    headings = {
        Role.INSPECTOR: "Your reviews",
        Role.LEAD_INSPECTOR: "Lead inspector",
        Role.HMPPS_SFO: "Reviews you have sent",
        Role.PANEL_MEMBER: "Your learning panels",
        Role.ADMIN: "Administration",
    }
    for role, heading in headings.items():
        sign_in_as(users[role])
        assert page.get_by_role("heading", name=heading).is_visible()
        nav = page.locator(".govuk-service-navigation")
        assert nav.get_by_text("Users").count() == (1 if role == Role.ADMIN else 0)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/sign-in/$"))


def test_admin_invites_a_user_who_sets_up_two_factor_and_signs_in(
    page, live_server, users, sign_in_as, run_tasks_in_process, settings
):
    settings.SITE_URL = live_server.url
    sign_in_as(users[Role.ADMIN])
    page.get_by_role("link", name="Invite a user").first.click()
    page.get_by_label("Email address").fill("new.reviewer@example.org")
    page.get_by_label("Full name").fill("New Reviewer")
    hmpps = Organisation.objects.get(kind=Organisation.Kind.HMPPS)
    page.get_by_label("Organisation").select_option(str(hmpps.pk))
    page.get_by_label("HMPPS SFO team").check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to new.reviewer@example.org").is_visible()
    page.get_by_role("button", name="Sign out").click()

    link = re.search(r"https?://\S+/password/set/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-very-long-passphrase")
    page.get_by_label("Confirm new password").fill("a-very-long-passphrase")
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("link", name="Sign in").last.click()

    page.get_by_label("Email address").fill("new.reviewer@example.org")
    page.get_by_label("Password").fill("a-very-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    key = page.locator(".app-secret-key").inner_text().replace(" ", "")
    import base64

    code = f"{TOTP(base64.b32decode(key)).token():06d}"
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Confirm and sign in").click()
    page.get_by_role("heading", name="Reviews you have sent").wait_for()
    user = User.objects.get(email="new.reviewer@example.org")
    assert AuditEvent.objects.filter(action="sign_in", actor=user).exists()


def test_the_timeout_warning_appears_and_staying_signed_in_keeps_the_session(
    page, live_server, users, sign_in_as, settings
):
    # The page counts from a minute before the server's expiry (the server
    # renews it at most once a minute), so this warns 2 s after loading.
    settings.SESSION_IDLE_SECONDS = 68
    settings.SESSION_WARNING_SECONDS = 6
    sign_in_as(users[Role.INSPECTOR])
    page.reload()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible", timeout=10_000)
    assert "signed out" in dialog.inner_text()
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    page.reload()
    assert page.get_by_role("heading", name="Your reviews").is_visible()
