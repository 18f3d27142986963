"""Add a finding: radios with no blank choice, and the action-plan question
revealed only for a failing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ratings.forms import TEXT_LIMIT, long_text
from ratings.models import Finding

pytestmark = pytest.mark.django_db


def test_finding_radios_have_no_blank_choice(inspector_client, assessment):
    page = inspector_client.get(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk})
    ).content.decode()
    assert "---------" not in page
    assert page.count('name="kind"') == len(Finding.Kind.choices)
    assert page.count('name="level"') == len(Finding.Level.choices)


def test_action_plan_question_follows_the_failing_choice_only(
    inspector_client, assessment
):
    page = inspector_client.get(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk})
    ).content.decode()
    position = [value for value, _ in Finding.Kind.choices].index(
        Finding.Kind.POOR_PRACTICE
    ) + 1
    failing = page.split(f'id="id_kind_{position}"')[1]
    reveal = failing.split('id="id_kind_')[0]  # up to the next kind of finding
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in (
        reveal
    )
    assert 'name="action_plan_addresses"' in reveal
    assert page.count("govuk-radios__conditional ") == 1
    # No aria-expanded from script: a radio may not carry it.
    assert 'aria-controls="conditional_' not in page


def test_a_finding_that_is_not_a_failing_keeps_no_action_plan_answer(
    inspector_client, assessment
):
    inspector_client.post(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk}),
        {
            "kind": Finding.Kind.GOOD_PRACTICE,
            "text": "Clear risk plan",
            "level": Finding.Level.TEAM,
            "action_plan_addresses": Finding.Addressed.NO,
            "action_plan_comment": "Left over from before",
            "lock_version": assessment.lock_version,
        },
    )
    finding = Finding.objects.get(assessment=assessment)
    assert finding.action_plan_addresses == ""
    assert finding.action_plan_comment == ""


def test_a_failing_still_needs_the_action_plan_answer(inspector_client, assessment):
    response = inspector_client.post(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk}),
        {
            "kind": Finding.Kind.POOR_PRACTICE,
            "text": "Risk not reviewed",
            "level": Finding.Level.TEAM,
            "lock_version": assessment.lock_version,
        },
    )
    page = response.content.decode()
    assert "action plan addresses this failing" in page
    assert 'href="#id_action_plan_addresses_1"' in page


def test_a_text_limit_is_written_with_a_thousands_separator():
    field = long_text("Evidence")
    with pytest.raises(ValidationError) as refused:
        field.clean("x" * (TEXT_LIMIT + 1))
    assert refused.value.messages == ["Evidence must be 20,000 characters or fewer"]
