from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts import sso
from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role
from tests.accounts.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider, new_key
from tests.factories import OrganisationFactory

START = reverse("accounts:staff_sign_in")
CALLBACK = reverse("accounts:staff_sign_in_callback")
FAILED = "We could not sign you in with your department&#x27;s account"


@pytest.fixture
def provider(settings):
    with FakeProvider() as fake:
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_DISCOVERY_URL = fake.discovery_url
        yield fake


def _start(client, **query) -> tuple[str, str]:
    """Begin signing in; the state and nonce the provider was sent."""
    response = client.get(START, query)
    assert response.status_code == 302
    location = urlsplit(response.url)
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID
    return query["state"], query["nonce"]


def _return(client, state: str):
    return client.get(CALLBACK, {"code": "code-from-provider", "state": state})


def _refusal(reason: str) -> AuditEvent:
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_REFUSED)
    assert event.details == {"reason": reason, "method": "identity_provider"}
    assert event.outcome == AuditEvent.Outcome.REFUSED
    return event


def _signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_inspectorate_staff_sign_in_with_their_department_and_no_authenticator(
    provider, client, users
):
    inspector = users[Role.INSPECTOR]
    state, nonce = _start(client)
    provider.claims = provider.good_claims(nonce=nonce, email=inspector.email)

    response = _return(client, state)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _signed_in(client)
    [token_request] = provider.token_requests
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["code"] == "code-from-provider"
    assert token_request["client_id"] == CLIENT_ID
    assert token_request["redirect_uri"].endswith(CALLBACK)
    assert token_request["code_verifier"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.actor == inspector
    assert event.details == {"method": "identity_provider"}


@pytest.mark.django_db
def test_sign_in_works_on_a_machine_that_has_just_started(
    provider, client, users, monkeypatch
):
    """The monotonic clock starts near zero at boot: the provider's discovery
    document is still fetched the first time it is needed."""
    monkeypatch.setattr(sso.time, "monotonic", lambda: 5.0)
    monkeypatch.setattr(sso, "_discovered", {})
    state, nonce = _start(client)
    provider.claims = provider.good_claims(
        nonce=nonce, email=users[Role.INSPECTOR].email
    )

    assert _return(client, state).url == reverse("home")
    assert _signed_in(client)


@pytest.mark.django_db
def test_staff_return_to_the_page_they_asked_for(provider, client, users):
    wanted = reverse("reviews:list")
    state, nonce = _start(client, next=wanted)
    provider.claims = provider.good_claims(
        nonce=nonce, email=users[Role.INSPECTOR].email
    )
    assert _return(client, state).url == wanted


@pytest.mark.django_db
def test_the_address_is_matched_whatever_its_case(provider, client, users):
    state, nonce = _start(client)
    email = users[Role.LEAD_INSPECTOR].email.upper()
    provider.claims = provider.good_claims(nonce=nonce, email=email)
    _return(client, state)
    assert _signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, reason",
    [
        ({"aud": "another-service"}, "audience"),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, "expired"),
        ({"iss": "http://127.0.0.1:1"}, "issuer"),
    ],
    ids=["wrong audience", "expired", "wrong issuer"],
)
def test_a_token_that_is_not_for_us_or_is_too_old_is_refused(
    provider, client, users, change, reason
):
    state, nonce = _start(client)
    claims = provider.good_claims(nonce=nonce, email=users[Role.INSPECTOR].email)
    provider.claims = {**claims, **change}

    response = _return(client, state)

    assert response.status_code == 403
    assert FAILED in response.content.decode()
    _refusal(reason)
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_token_signed_with_another_key_is_refused(provider, client, users):
    state, nonce = _start(client)
    provider.claims = provider.good_claims(
        nonce=nonce, email=users[Role.INSPECTOR].email
    )
    provider.signing_key = new_key()

    response = _return(client, state)

    assert response.status_code == 403
    assert FAILED in response.content.decode()
    _refusal("signature")
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_token_carrying_an_earlier_sign_ins_nonce_is_refused(provider, client, users):
    email = users[Role.INSPECTOR].email
    _first_state, first_nonce = _start(client)
    state, _nonce = _start(client)
    provider.claims = provider.good_claims(nonce=first_nonce, email=email)

    response = _return(client, state)

    assert response.status_code == 403
    assert FAILED in response.content.decode()
    _refusal("nonce")
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_return_from_the_provider_is_used_once(provider, client, users):
    state, nonce = _start(client)
    provider.claims = provider.good_claims(
        nonce=nonce, email=users[Role.INSPECTOR].email
    )
    _return(client, state)
    client.post(reverse("accounts:sign_out"))

    response = _return(client, state)

    assert response.status_code == 403
    _refusal("state")
    assert len(provider.token_requests) == 1
    assert not _signed_in(client)


@pytest.mark.django_db
def test_an_unknown_address_gets_no_account_and_is_told_to_ask_an_administrator(
    provider, client, reference_data
):
    state, nonce = _start(client)
    provider.claims = provider.good_claims(nonce=nonce, email="new@justice.gov.uk")

    response = _return(client, state)

    assert response.status_code == 403
    assert "Ask an administrator to add you" in response.content.decode()
    assert not User.objects.filter(email="new@justice.gov.uk").exists()
    event = _refusal("unknown")
    assert event.actor is None
    assert "new@justice.gov.uk" not in str(event.details)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Organisation.Kind.HMPPS, Organisation.Kind.PARTNER])
def test_hmpps_and_partner_users_keep_their_password_and_authenticator(
    provider, client, make_user, kind
):
    organisation = OrganisationFactory(name=f"An organisation ({kind})", kind=kind)
    user = make_user(Role.HMPPS_SFO, organisation=organisation)
    state, nonce = _start(client)
    provider.claims = provider.good_claims(nonce=nonce, email=user.email)

    response = _return(client, state)

    assert response.status_code == 403
    assert "Sign in with your email address and password" in response.content.decode()
    assert _refusal("not_staff").actor == user
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in_with_their_department(
    provider, client, users
):
    inspector = users[Role.INSPECTOR]
    inspector.is_active = False
    inspector.save()
    state, nonce = _start(client)
    provider.claims = provider.good_claims(nonce=nonce, email=inspector.email)

    assert _return(client, state).status_code == 403
    _refusal("inactive")


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_department_only_when_configured(client, settings):
    button = f'href="{START}"'
    settings.OIDC_RP_CLIENT_ID = ""
    assert button not in client.get(reverse("accounts:sign_in")).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK).status_code == 404
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    assert button in client.get(reverse("accounts:sign_in")).content.decode()
