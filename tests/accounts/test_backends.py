"""A signed-in request finds its user as Django's model backend would."""

import pytest
from django.urls import reverse

from accounts.backends import UserBackend
from tests.conftest import SIGNED_IN_QUERIES


@pytest.mark.django_db
def test_the_user_is_the_one_the_orm_reads(users):
    user = users["inspector"]
    found = UserBackend().get_user(user.pk)
    assert found == user
    assert (found.email, found.full_name, found.password) == (
        user.email,
        user.full_name,
        user.password,
    )
    assert UserBackend().get_user(str(user.pk)) == user
    assert UserBackend().get_user(user.pk + 1000) is None


@pytest.mark.django_db
def test_an_inactive_user_is_nobody(users):
    user = users["inspector"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert UserBackend().get_user(user.pk) is None


@pytest.mark.django_db
def test_a_deactivated_users_next_request_is_signed_out(inspector_client, users):
    home = reverse("home")
    assert inspector_client.get(home).status_code == 200
    users["inspector"].__class__.objects.filter(pk=users["inspector"].pk).update(
        is_active=False
    )
    response = inspector_client.get(reverse("reviews:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_a_changed_password_signs_out_other_sessions(inspector_client, users):
    user = users["inspector"]
    user.set_password("a-new-long-passphrase-2026")
    user.save(update_fields=["password"])
    response = inspector_client.get(reverse("reviews:list"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_signed_in_page_still_reads_the_user_once(
    inspector_client, django_assert_num_queries
):
    inspector_client.get(reverse("home"))
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        inspector_client.get(reverse("accounts:keep_alive"))
