import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role
from tests.conftest import SIGNED_IN_QUERIES, sign_in

Action = AuditEvent.Action


@pytest.fixture
def hmpps_org(db):
    return Organisation.objects.get(kind=Organisation.Kind.HMPPS)


@pytest.mark.django_db
def test_admin_invites_a_user_who_sets_a_password(
    admin_client,
    hmpps_org,
    client,
    django_capture_on_commit_callbacks,
    run_tasks_in_process,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("accounts:user_invite"),
            {
                "email": "New.Person@Example.org",
                "full_name": "  New   Person ",
                "organisation": hmpps_org.pk,
                "roles": [Role.HMPPS_SFO],
                "is_superuser": "on",  # not a field of the form: ignored
            },
        )
    user = User.objects.get(email="new.person@example.org")
    assert response.url == reverse("accounts:user_detail", kwargs={"pk": user.pk})
    assert user.full_name == "New Person"
    assert user.roles == {Role.HMPPS_SFO}
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(
        action=Action.USER_INVITED, object_id=user.pk
    ).exists()
    assert AuditEvent.objects.filter(action=Action.INVITATION_SENT).exists()

    (email,) = mail.outbox
    link = next(line for line in email.body.splitlines() if "/password/set/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-long-new-passphrase",
            "new_password2": "a-long-new-passphrase",
        },
    )
    assert done.url == reverse("accounts:password_set_done")
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")


@pytest.mark.django_db
def test_invite_form_errors_keep_what_was_typed(admin_client, users):
    response = admin_client.post(
        reverse("accounts:user_invite"),
        {"email": users[Role.INSPECTOR].email, "full_name": "Kept Name", "roles": []},
    )
    page = response.content.decode()
    assert "A user with this email address already exists" in page
    assert "Choose at least one role" in page
    assert "Choose the user&#x27;s organisation" in page
    assert 'value="Kept Name"' in page


@pytest.mark.django_db
def test_admin_changes_roles_and_the_change_is_audited(admin_client, users):
    inspector = users[Role.INSPECTOR]
    response = admin_client.post(
        reverse("accounts:user_edit", kwargs={"pk": inspector.pk}),
        {
            "full_name": inspector.full_name,
            "organisation": inspector.organisation.pk,
            "roles": [Role.INSPECTOR, Role.LEAD_INSPECTOR],
        },
    )
    assert response.status_code == 302
    inspector = User.objects.get(pk=inspector.pk)
    assert inspector.roles == {Role.INSPECTOR, Role.LEAD_INSPECTOR}
    event = AuditEvent.objects.get(action=Action.ROLES_CHANGED, object_id=inspector.pk)
    assert event.details == {"added": [Role.LEAD_INSPECTOR], "removed": []}


@pytest.mark.django_db
def test_admin_cannot_remove_their_own_admin_role(admin_client, users):
    admin = users[Role.ADMIN]
    response = admin_client.post(
        reverse("accounts:user_edit", kwargs={"pk": admin.pk}),
        {
            "full_name": admin.full_name,
            "organisation": admin.organisation.pk,
            "roles": [Role.INSPECTOR],
        },
    )
    assert "cannot remove your own administrator role" in response.content.decode()
    assert User.objects.get(pk=admin.pk).roles == {Role.ADMIN}


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions_at_once(admin_client, users, client):
    inspector = users[Role.INSPECTOR]
    sign_in(client, inspector)
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    # Signing in recorded the session.
    assert inspector.sessions.filter(session_key=key).exists()

    response = admin_client.post(
        reverse("accounts:user_deactivate", kwargs={"pk": inspector.pk})
    )
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    inspector.refresh_from_db()
    assert not inspector.is_active
    event = AuditEvent.objects.get(action=Action.USER_DEACTIVATED)
    assert event.details == {"sessions_ended": 1}


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in(client, users, settings):
    settings.REQUIRE_2FA = False
    inspector = users[Role.INSPECTOR]
    User.objects.filter(pk=inspector.pk).update(is_active=False)
    from tests.factories import PASSWORD

    response = client.post(
        reverse("accounts:sign_in"), {"email": inspector.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


@pytest.mark.django_db
def test_admin_cannot_deactivate_themself(admin_client, users):
    admin = users[Role.ADMIN]
    response = admin_client.post(
        reverse("accounts:user_deactivate", kwargs={"pk": admin.pk})
    )
    assert "cannot deactivate your own account" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


@pytest.mark.django_db
def test_reactivating_lets_them_back(admin_client, users):
    inspector = users[Role.INSPECTOR]
    User.objects.filter(pk=inspector.pk).update(is_active=False)
    admin_client.post(reverse("accounts:user_reactivate", kwargs={"pk": inspector.pk}))
    assert User.objects.get(pk=inspector.pk).is_active


@pytest.mark.django_db
def test_user_list_queries_do_not_grow_with_users(
    admin_client, make_user, django_assert_num_queries
):
    for n in range(30):
        make_user(Role.INSPECTOR, email=f"many{n}@example.org")
    # count, page, and the page's roles in one prefetch
    with django_assert_num_queries(SIGNED_IN_QUERIES + 3):
        response = admin_client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert "many29@example.org" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_user_is_not_found(admin_client):
    assert (
        admin_client.get(
            reverse("accounts:user_detail", kwargs={"pk": 999999})
        ).status_code
        == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("inspectorate_role", [Role.INSPECTOR, Role.LEAD_INSPECTOR])
def test_nobody_is_both_in_the_hmpps_team_and_an_inspector(
    admin_client, users, hmpps_org, inspectorate_role
):
    both = [Role.HMPPS_SFO, inspectorate_role]
    invite = admin_client.post(
        reverse("accounts:user_invite"),
        {
            "email": "both@example.org",
            "full_name": "Both Sides",
            "organisation": hmpps_org.pk,
            "roles": both,
        },
    )
    message = "cannot be in the HMPPS SFO team and be an inspector"
    page = invite.content.decode()
    assert invite.status_code == 200 and message in page
    assert "govuk-error-summary" in page
    assert not User.objects.filter(email="both@example.org").exists()
    hmpps = users[Role.HMPPS_SFO]
    edit = admin_client.post(
        reverse("accounts:user_edit", kwargs={"pk": hmpps.pk}),
        {"full_name": hmpps.full_name, "organisation": hmpps_org.pk, "roles": both},
    )
    assert edit.status_code == 200 and message in edit.content.decode()
    assert User.objects.get(pk=hmpps.pk).roles == {Role.HMPPS_SFO}
