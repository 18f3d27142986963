import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role


@pytest.mark.django_db
def test_reset_emails_a_working_link_to_a_known_account(client, users, settings):
    settings.SITE_URL = "https://sfoqa.example.org"
    user = users[Role.HMPPS_SFO]
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.url == reverse("accounts:password_reset_sent")
    (email,) = mail.outbox
    link = re.search(r"https://sfoqa\.example\.org(/password/set/\S+)", email.body)
    assert link, email.body

    form = client.get(link.group(1), follow=True)
    new = "another-long-passphrase"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.url == reverse("accounts:password_set_done")
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PASSWORD_SET, actor=user
    ).exists()


@pytest.mark.django_db
def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response.url == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_or_forged_link_says_it_has_expired(client):
    url = reverse("accounts:password_set", kwargs={"uidb64": "MQ", "token": "forged"})
    page = client.get(url, follow=True).content.decode()
    assert "This link has expired" in page


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_reasons(client, users):
    user = users[Role.INSPECTOR]
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    path = re.search(r"https?://[^/]+(/password/set/\S+)", mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert "There is a problem" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password("short")
