"""Published framework and policy versions never change; a change is a new version."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from ratings import frameworks, selectors, services
from ratings.models import Framework, OverallPolicy, Prompt, Standard
from tests.ratings.conftest import make_allocation, rate_everything

OLD_PROMPT = "Is management oversight examined?"
NEW_PROMPT = "Is management oversight examined, and was it effective?"


def publish(assessment, users):
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users[Role.INSPECTOR],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    lead = users[Role.LEAD_INSPECTOR]
    services.assessment_sign_off(assessment=assessment, by=lead)
    services.assessment_publish(assessment=assessment, by=lead)


def pages(client, assessment) -> str:
    names = ["ratings:task_list", "ratings:check", "ratings:overall"]
    urls = [reverse(name, kwargs={"pk": assessment.pk}) for name in names]
    urls.append(reverse("ratings:standard", kwargs={"pk": assessment.pk, "number": 1}))
    text = "".join(client.get(url).content.decode() for url in urls)
    # What the pages show, less the tokens that differ on every request.
    main = "".join(re.findall(r"<main.*?</main>", text, flags=re.S))
    return re.sub(r'(value|nonce|content)="[A-Za-z0-9+/=_-]{32,}"', "", main)


def changelist_action(client, model, action, version):
    url = reverse(f"admin:ratings_{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": [version.pk]})


@pytest.mark.django_db
def test_a_new_framework_version_leaves_a_published_assessment_as_it_was(
    client_for, users, assessment, run_tasks_in_process
):
    publish(assessment, users)
    lead = client_for(Role.LEAD_INSPECTOR)
    before_pages = pages(lead, assessment)
    before_report = selectors.snapshot_of(assessment)
    assert OLD_PROMPT in before_pages
    admin = client_for(Role.ADMIN)
    old = assessment.framework

    changelist_action(admin, "framework", "make_draft", old)
    draft = Framework.objects.get(based_on=old)
    Prompt.objects.filter(standard__framework=draft, text=OLD_PROMPT).update(
        text=NEW_PROMPT
    )
    changelist_action(admin, "framework", "publish", draft)

    draft.refresh_from_db()
    old.refresh_from_db()
    assert draft.is_active and draft.is_published and not old.is_active
    assert pages(lead, assessment) == before_pages
    assert selectors.snapshot_of(assessment) == before_report
    assert Prompt.objects.filter(standard__framework=old, text=OLD_PROMPT).exists()
    newer = services.assessment_start(allocation=make_allocation(users))
    assert newer.framework == draft
    assert NEW_PROMPT in pages(client_for(Role.INSPECTOR), newer)


@pytest.mark.django_db
def test_the_admin_refuses_to_change_a_standard_of_a_version_in_use(
    client_for, assessment
):
    admin = client_for(Role.ADMIN)
    standard = assessment.framework.standards.get(number=1)
    url = reverse("admin:ratings_standard_change", args=[standard.pk])

    page = admin.get(url).content.decode()
    response = admin.post(
        url, {"framework": standard.framework_id, "number": 1, "name": "Renamed"}
    )

    assert "cannot be changed or deleted" in page
    assert "1 assessment uses it" in page
    assert response.status_code == 302
    refused = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("make a new draft version" in m for m in refused)
    standard.refresh_from_db()
    assert standard.name == "Analysis of practice"


@pytest.mark.django_db
def test_the_admin_refuses_to_delete_a_published_version(client_for, reference_data):
    admin = client_for(Role.ADMIN)
    framework = Framework.objects.get(is_active=True)
    url = reverse("admin:ratings_framework_delete", args=[framework.pk])

    response = admin.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert Framework.objects.filter(pk=framework.pk).exists()
    with pytest.raises(ValidationError, match="it is published"):
        frameworks.require_changeable(framework)


@pytest.mark.django_db
def test_a_draft_version_copies_everything_and_can_be_changed(
    client_for, users, reference_data
):
    old = Framework.objects.get(is_active=True)
    draft = frameworks.framework_draft_from(framework=old, by=users[Role.ADMIN])
    standard = draft.standards.get(number=1)
    url = reverse("admin:ratings_standard_change", args=[standard.pk])

    page = client_for(Role.ADMIN).get(url).content.decode()

    assert draft.version == old.version + 1 and not draft.is_published
    assert not draft.is_active
    for field in ("prompts", "descriptors"):
        assert sorted(
            Standard.objects.filter(framework=draft).values_list(
                f"{field}__text", flat=True
            )
        ) == sorted(
            Standard.objects.filter(framework=old).values_list(
                f"{field}__text", flat=True
            )
        )
    assert "cannot be changed" not in page
    frameworks.require_changeable(draft)  # no error: a draft changes freely
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.FRAMEWORK_DRAFTED, object_id=str(draft.pk)
    ).exists()


@pytest.mark.django_db
def test_a_new_policy_version_leaves_earlier_assessments_on_their_own(
    users, assessment
):
    old = assessment.policy
    admin = users[Role.ADMIN]
    draft = frameworks.policy_draft_from(policy=old, by=admin)
    draft.kind = OverallPolicy.Kind.JUDGEMENT
    draft.save()
    frameworks.policy_publish(policy=draft, by=admin)
    rate_everything(assessment)

    assert services.overall_suggestion(assessment) is not None  # still the bands
    newer = services.assessment_start(allocation=make_allocation(users))
    assert newer.policy == draft and draft.is_active
    with pytest.raises(ValidationError):
        frameworks.require_changeable(old)


@pytest.mark.django_db
def test_a_framework_the_policy_in_use_cannot_rate_is_not_published(
    users, reference_data
):
    admin = users[Role.ADMIN]
    old = Framework.objects.get(is_active=True)
    draft = frameworks.framework_draft_from(framework=old, by=admin)
    draft.standards.get(number=4).delete()

    with pytest.raises(ValidationError, match="does not fit"):
        frameworks.framework_publish(framework=draft, by=admin)

    draft.refresh_from_db()
    assert not draft.is_published and Framework.objects.get(is_active=True) == old
