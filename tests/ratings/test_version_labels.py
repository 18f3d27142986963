"""The versions page names fields and values as a person says them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from ratings.labels import field_label, value_text
from ratings.models import Assessment, Rating, StandardAssessment
from tests.ratings.pages import a_signed_off

pytestmark = pytest.mark.django_db


def test_field_names_read_as_words():
    assert field_label(Assessment, "overall_reason") == "Overall rating reason"
    assert field_label(Assessment, "status") == "Status"
    assert field_label(StandardAssessment, "improvements") == "Areas for improvement"


def test_values_show_their_labels_and_people_their_names(users):
    assert value_text(Assessment, "overall_rating", Rating.GOOD) == Rating.GOOD.label
    assert value_text(Assessment, "status", "signed_off") == "Signed off"
    lead = users["lead_inspector"]
    assert value_text(Assessment, "signed_off_by", lead.pk) == lead.full_name
    assert value_text(Assessment, "signed_off_by", None) == ""


def test_the_versions_page_shows_no_field_names_from_the_code(inspector_client, users):
    pk = a_signed_off(users)["pk"]
    page = inspector_client.get(
        reverse("ratings:history", kwargs={"pk": pk})
    ).content.decode()
    assert ">Signed off by<" in page
    assert f">{escape(users['lead_inspector'].full_name)}<" in page
    assert "signed_off_by" not in page
    assert ">signed_off<" not in page
