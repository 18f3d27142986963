"""
Browser tests: Playwright driving Debian's Chromium against the live server.
They skip only where Chromium is absent, and never in CI.
"""

import os
import shutil

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("SFOQA_REQUIRE_BROWSER"):
        raise pytest.UsageError("Chromium is not installed, and this run requires it.")
    skip = pytest.mark.skip(reason="Chromium is not installed: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ARGS,
    }


@pytest.fixture
def sign_in_as(page, live_server):
    """Sign in through the real pages, second factor included."""

    def sign_in(user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Browser test"}
        )
        # A journey signs the same user in twice within one 30-second step;
        # django-otp rightly refuses a code twice, so forget the last one.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        code = f"{TOTP(device.bin_key).token():06d}"
        page.get_by_label("Security code").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in
