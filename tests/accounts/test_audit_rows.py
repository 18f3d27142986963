"""Every audit row says who did it and from where, tasks' rows included."""

import pytest
from django.db.models import Q
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role
from reviews.models import Review
from tests.factories import PASSWORD
from tests.reviews.factories import add_document, form_data, unique_pdf
from tests.sfoqa.files import upload

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
ADDRESS = "203.0.113.9"


def _invite(admin_client, email="new.person@example.org"):
    return admin_client.post(
        reverse("accounts:user_invite"),
        {
            "email": email,
            "full_name": "New Person",
            "organisation": Organisation.objects.get(kind=Organisation.Kind.HMPPS).pk,
            "roles": [Role.HMPPS_SFO],
        },
        REMOTE_ADDR=ADDRESS,
    )


def test_the_invitation_sent_row_names_the_admin_and_their_address(
    admin_client, users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client)
    invited = User.objects.get(email="new.person@example.org")
    rows = AuditEvent.objects.filter(object_id=invited.pk)
    assert set(rows.values_list("action", flat=True)) == {
        Action.USER_INVITED,
        Action.ROLES_CHANGED,
        Action.INVITATION_SENT,
    }
    sent = rows.get(action=Action.INVITATION_SENT)
    assert (sent.actor, sent.ip_address) == (users[Role.ADMIN], ADDRESS)
    assert sent.roles == Role.ADMIN
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("accounts:user_resend_invitation", kwargs={"pk": invited.pk}),
            REMOTE_ADDR="198.51.100.4",
        )
    resent = rows.filter(action=Action.INVITATION_SENT).order_by("pk").last()
    assert (resent.actor, resent.ip_address) == (users[Role.ADMIN], "198.51.100.4")


def _sign_in_with_a_new_authenticator(client, user):
    client.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD}
    )
    client.get(reverse("accounts:two_factor_setup"))
    key = client.session["totp_setup_key"]
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    assert response.url == reverse("home")


def test_the_main_flows_leave_rows_that_say_who_and_from_where(
    client,
    client_for,
    users,
    make_user,
    django_capture_on_commit_callbacks,
    run_tasks_in_process,
):
    newcomer = make_user(Role.INSPECTOR, email="nia@example.org")
    _sign_in_with_a_new_authenticator(client, newcomer)
    client.get(reverse("ratings:moderation_queue"))  # refused and audited
    client.post(reverse("accounts:sign_out"))
    admin = client_for(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin)
    inspector = users[Role.INSPECTOR]
    admin.post(
        reverse("accounts:user_edit", kwargs={"pk": inspector.pk}),
        {
            "full_name": "Changed Name",
            "organisation": inspector.organisation.pk,
            "roles": [Role.INSPECTOR, Role.LEAD_INSPECTOR],
        },
    )
    admin.post(reverse("accounts:user_deactivate", kwargs={"pk": newcomer.pk}))
    hmpps = client_for(Role.HMPPS_SFO)
    with django_capture_on_commit_callbacks(execute=True):
        hmpps.post(
            reverse("reviews:new"),
            {**form_data(), "review_document": upload(unique_pdf())},
        )
    review = Review.objects.get()
    document = add_document(review, number=2)
    lead = client_for(Role.LEAD_INSPECTOR)
    lead.get(reverse("reviews:detail", kwargs={"pk": review.pk}))
    lead.get(reverse("reviews:document", kwargs={"pk": document.pk}))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        Action.SIGN_IN,
        Action.SECOND_FACTOR_SET_UP,
        Action.PERMISSION_REFUSED,
        Action.SIGN_OUT,
        Action.USER_INVITED,
        Action.INVITATION_SENT,
        Action.ROLES_CHANGED,
        Action.USER_DEACTIVATED,
        Action.REVIEW_RECEIVED,
        Action.REVIEW_VIEWED,
        Action.DOCUMENT_DOWNLOADED,
    } <= actions
    anonymous = AuditEvent.objects.filter(Q(actor=None) | Q(ip_address=None))
    assert list(anonymous.values_list("action", flat=True)) == []
