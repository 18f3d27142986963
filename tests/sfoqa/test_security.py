import os
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from csp.constants import SELF
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.urls import reverse

from sfoqa.middleware import CSPMiddleware

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get(reverse("accounts:sign_in"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_denies_device_and_browser_features(
    client, inspector_client, signed_in
):
    if signed_in:
        response = inspector_client.get(reverse("home"))
    else:
        response = client.get(reverse("pages:privacy"))
    assert response.status_code == 200
    policy = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature
    assert set(policy.values()) == {"()"}


@pytest.mark.django_db
def test_the_inline_script_carries_this_responses_nonce(client):
    response = client.get(reverse("accounts:sign_in"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    assert page.count("<script") == page.count(f'nonce="{nonce}"')


@pytest.mark.django_db
def test_https_responses_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:sign_in"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(inspector_client, client):
    before = time.time()
    response = inspector_client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, private"
    # Expired already (HTTP/1.0 caches read only this).
    assert before - 1 <= parsedate_to_datetime(response["Expires"]).timestamp()
    assert parsedate_to_datetime(response["Expires"]).timestamp() <= time.time()
    assert "no-store" not in client.get(reverse("pages:privacy")).get(
        "Cache-Control", ""
    )


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE", "SECRET_KEY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sfoqa.settings",
        SECRET_KEY="k7#Qz!v2Lp9@xR4m$Wn8&Yt1^Hc6*Jb3(Fd5)Gs0_Ae7+Ui2=Oo4",
        ALLOWED_HOSTS="sfoqa.example.org",
        **extra,
    )
    return env


def test_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_error_pages_are_govuk_pages(client, inspector_client):
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.content.decode()
    refused = inspector_client.get(reverse("accounts:user_list"))
    assert "You do not have permission" in refused.content.decode()


def test_the_server_error_page_renders_without_a_database(rf):
    from sfoqa.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_each_page_has_the_settings_policy_with_its_own_nonce(client):
    nonces = []
    for _ in range(2):
        policy = client.get(reverse("accounts:sign_in"))["Content-Security-Policy"]
        nonce = policy.split("'nonce-")[1].split("'")[0]
        assert policy == build_policy(nonce=nonce)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_a_response_with_no_script_has_the_policy_with_no_nonce(client):
    response = client.get(reverse("healthz"))
    assert response["Content-Security-Policy"] == build_policy()
    assert "nonce" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_change_of_policy_in_the_settings_applies(client, settings):
    client.get(reverse("accounts:sign_in"))
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": [SELF]}}
    policy = client.get(reverse("accounts:sign_in"))["Content-Security-Policy"]
    # django-csp writes the directives in no fixed order, so read each one.
    directives = dict(directive.split(" ", 1) for directive in policy.split("; "))
    assert directives["img-src"] == "'self'"
    assert directives["default-src"] == "'self'"


def test_a_nonce_asked_for_once_the_policy_is_set_is_refused(rf):
    middleware = CSPMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
