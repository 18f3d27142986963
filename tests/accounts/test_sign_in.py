import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, UserSession
from accounts.roles import Role
from tests.factories import PASSWORD

SIGN_IN = reverse("accounts:sign_in")
Action = AuditEvent.Action


def post_password(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def current_code(key_hex: str) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    return f"{totp.token():06d}"


@pytest.fixture
def inspector(make_user):
    return make_user(Role.INSPECTOR, email="ilse@example.org")


@pytest.mark.django_db
def test_first_sign_in_sets_up_an_authenticator_then_signs_in(client, inspector):
    response = post_password(client, "ILSE@example.org ")
    assert response.url == reverse("accounts:two_factor_setup")

    page = client.get(response.url)
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    key = client.session["totp_setup_key"]
    assert page.context["key_text"].replace(" ", "")  # the key as text too

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "The security code is wrong" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    done = client.post(
        reverse("accounts:two_factor_setup"), {"code": current_code(key)}
    )
    assert done.url == reverse("home")
    assert client.session["_auth_user_id"] == str(inspector.pk)
    assert TOTPDevice.objects.get(user=inspector).confirmed
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor=inspector).exists()


@pytest.mark.django_db
def test_later_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, inspector):
    device = TOTPDevice.objects.create(user=inspector, name="app", confirmed=True)
    response = post_password(client, inspector.email)
    assert response.url == reverse("accounts:two_factor_verify")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED).count() == 1

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(
        reverse("accounts:two_factor_verify"), {"code": current_code(device.key)}
    )
    assert right.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_after_several_wrong_codes_a_right_one_is_told_to_wait(client, inspector):
    device = TOTPDevice.objects.create(user=inspector, name="app", confirmed=True)
    post_password(client, inspector.email)
    verify = reverse("accounts:two_factor_verify")
    client.post(verify, {"code": "123456"})
    # Several wrong codes, the last just now: django-otp throttles for 2**(n-1) s.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=4, throttling_failure_timestamp=timezone.now()
    )
    device.refresh_from_db()
    right = client.post(verify, {"code": current_code(device.key)})
    page = right.content.decode()
    assert "_auth_user_id" not in client.session
    assert "wrong or has expired" not in page
    allowed, _refusal = device.verify_is_allowed()
    assert not allowed
    assert "Too many attempts. Wait " in page and " and try again" in page
    seconds = int(page.split("Too many attempts. Wait ")[1].split(" ")[0])
    assert 1 <= seconds <= 8
    refused = (
        AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED)
        .order_by("pk")
        .last()
    )
    assert refused.outcome == AuditEvent.Outcome.REFUSED


@pytest.mark.django_db
def test_the_second_factor_page_needs_a_right_password_first(client):
    response = client.get(reverse("accounts:two_factor_verify"))
    assert response.url == SIGN_IN


@pytest.mark.django_db
def test_sign_in_rotates_the_session_key(client, inspector, settings):
    settings.REQUIRE_2FA = False
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    post_password(client, inspector.email)
    assert client.session.session_key != before
    assert UserSession.objects.filter(user=inspector).count() == 1


@pytest.mark.django_db
def test_unknown_account_and_wrong_password_get_the_same_message(client, inspector):
    unknown = post_password(client, "nobody@example.org").content.decode()
    wrong = post_password(client, inspector.email, "not-the-password").content.decode()
    message = "Enter a correct email address and password"
    assert message in unknown
    assert message in wrong
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == 2
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED, actor=inspector)


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client, inspector):
    for _ in range(4):
        assert post_password(client, inspector.email, "wrong").status_code == 200
    assert post_password(client, inspector.email, "wrong").status_code == 429
    locked = post_password(client, inspector.email)
    assert locked.status_code == 429
    assert "too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_LOCKED).exists()


@pytest.mark.django_db
def test_unknown_accounts_lock_out_the_same_way(client):
    for _ in range(5):
        post_password(client, "ghost@example.org", "wrong")
    assert post_password(client, "ghost@example.org").status_code == 429


@pytest.mark.django_db
def test_an_address_with_too_many_failures_is_capped(client, make_user, settings):
    settings.SIGN_IN_IP_FAILURE_LIMIT = 3
    victim = make_user(Role.INSPECTOR, email="victim@example.org")
    for n in range(3):
        post_password(client, f"spray{n}@example.org", "wrong")
    response = post_password(client, victim.email)
    assert response.status_code == 429
    other_address = post_password(client, victim.email, REMOTE_ADDR="10.9.9.9")
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_sign_in_keeps_a_safe_next_address_only(client, inspector, settings):
    settings.REQUIRE_2FA = False
    url = SIGN_IN + "?next=/accounts/users/"
    assert client.post(url, {"email": inspector.email, "password": PASSWORD}).url == (
        "/accounts/users/"
    )
    client.post(reverse("accounts:sign_out"))
    evil = SIGN_IN + "?next=https://evil.example/"
    response = client.post(evil, {"email": inspector.email, "password": PASSWORD})
    assert response.url == reverse("home")


@pytest.mark.django_db
def test_sign_out_ends_the_session(inspector_client):
    response = inspector_client.post(reverse("accounts:sign_out"))
    assert response.url == SIGN_IN
    assert inspector_client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT).count() == 1


@pytest.mark.django_db
def test_empty_sign_in_shows_the_error_summary(client):
    page = client.post(SIGN_IN, {"email": "", "password": ""}).content.decode()
    assert "There is a problem" in page
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert "<title>Error:" in page
