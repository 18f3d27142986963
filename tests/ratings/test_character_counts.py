"""Long text: every comment box shows GOV.UK's character count, and text over
the limit is refused with a message naming the box."""

import re

import pytest
from django.urls import reverse

from ratings.forms import TEXT_LIMIT, ModerationForm
from ratings.models import Finding, StandardAssessment
from reviews.forms import AddToSampleForm, ConflictForm, ExtensionForm
from reviews.forms.common import MAX_TEXT

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_LIMIT + 1)


def character_count(page: str, name: str) -> tuple[int, str]:
    """The limit of the character count around a textarea, and its markup."""
    found = re.search(
        rf'<div id="div_id_{name}" class="govuk-form-group govuk-character-count'
        r'[^"]*" data-module="govuk-character-count" data-maxlength="(\d+)">'
        r"(.*?)</div>\s*</div>",
        page,
        re.S,
    )
    assert found, f"no character count for {name}"
    return int(found.group(1)), found.group(2)


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("ratings:standard", ["evidence", "strengths", "improvements"]),
        ("ratings:overall", ["overall_reason", "departure_reason"]),
        ("ratings:finding_add", ["text", "action_plan_comment"]),
    ],
)
def test_rating_forms_count_the_characters_of_every_long_text(
    inspector_client, assessment, url, names
):
    kwargs = {"pk": assessment.pk} | (
        {"number": 1} if url == "ratings:standard" else {}
    )
    page = inspector_client.get(reverse(url, kwargs=kwargs)).content.decode()
    for name in names:
        limit, markup = character_count(page, name)
        assert limit == TEXT_LIMIT
        textarea = re.search(r"<textarea[^>]*>", markup).group(0)
        assert "govuk-js-character-count" in textarea
        assert f'aria-describedby="id_{name}-info' in textarea or (
            f'id_{name}-info"' in textarea
        )
        assert "maxlength" not in textarea  # it would cut pasted text silently
        assert f'id="id_{name}-info"' in markup
        assert "You can enter up to 20,000 characters" in markup


def test_an_over_long_finding_is_refused_with_a_clear_error(
    inspector_client, assessment
):
    response = inspector_client.post(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk}),
        {
            "kind": Finding.Kind.GOOD_PRACTICE,
            "text": TOO_LONG,
            "level": Finding.Level.TEAM,
            "lock_version": assessment.lock_version,
        },
    )
    page = response.content.decode()
    assert '<a href="#id_text">The finding must be 20,000 characters or fewer' in page
    assert not Finding.objects.exists()


def test_over_long_evidence_is_refused_and_not_saved(inspector_client, assessment):
    url = reverse("ratings:standard", kwargs={"pk": assessment.pk, "number": 1})
    response = inspector_client.post(
        url,
        {"lock_version": assessment.lock_version, "evidence": TOO_LONG, "save": "1"},
    )
    assert response.status_code == 200
    assert "Evidence for the rating must be 20,000 characters or fewer" in (
        response.content.decode()
    )
    assert not StandardAssessment.objects.filter(evidence=TOO_LONG).exists()


def test_the_overall_explanation_names_itself_when_too_long(
    inspector_client, assessment
):
    response = inspector_client.post(
        reverse("ratings:overall", kwargs={"pk": assessment.pk}),
        {
            "lock_version": assessment.lock_version,
            "departure_reason": TOO_LONG,
            "save": "1",
        },
    )
    assert "The explanation of the difference must be 20,000 characters or fewer" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("form", "name", "data", "message"),
    [
        (ConflictForm, "reason", {"has_conflict": "True"}, "The description"),
        (AddToSampleForm, "reason", {"reference": "SFO-1"}, "The reason"),
        (ExtensionForm, "reason", {}, "The reason"),
    ],
)
def test_review_forms_count_characters_and_refuse_longer_text(
    form, name, data, message
):
    from django.template import Context, Template

    bound = form(data={**data, name: "x" * (MAX_TEXT + 1)})
    assert not bound.is_valid()
    assert bound.errors[name] == [f"{message} must be 2,000 characters or fewer"]
    page = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form()})
    )
    assert character_count(page, name)[0] == MAX_TEXT


def test_moderation_comments_count_characters():
    from django.template import Context, Template

    form = ModerationForm(sections=[("overall", "Comment on the overall rating")])
    page = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form})
    )
    assert character_count(page, "overall")[0] == TEXT_LIMIT
    bound = ModerationForm(
        data={"overall": TOO_LONG}, sections=[("overall", "Comment on the overall")]
    )
    assert bound.errors["overall"] == [
        "Comment on the overall must be 20,000 characters or fewer"
    ]
