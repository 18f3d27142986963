"""Add a finding: radios with no blank choice, and the action-plan question
revealed only for a failing."""

import pytest
from django.urls import reverse

from ratings.models import Finding

pytestmark = pytest.mark.django_db


def test_finding_radios_have_no_blank_choice(inspector_client, assessment):
    page = inspector_client.get(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk})
    ).content.decode()
    assert "---------" not in page
    assert page.count('name="kind"') == len(Finding.Kind.choices)
    assert page.count('name="level"') == len(Finding.Level.choices)


def test_action_plan_question_is_revealed_by_the_failing_choice_only(
    inspector_client, assessment
):
    page = inspector_client.get(
        reverse("ratings:finding_add", kwargs={"pk": assessment.pk})
    ).content.decode()
    position = [value for value, _ in Finding.Kind.choices].index(
        Finding.Kind.POOR_PRACTICE
    ) + 1
    reveal = f'id="conditional_kind_{position}"'
    assert f'aria-controls="conditional_kind_{position}"' in page
    assert page.count('aria-controls="conditional_') == 1
    conditional = page.split(reveal)[1]
    assert 'name="action_plan_addresses"' in conditional.split("govuk-radios__item")[0]


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
