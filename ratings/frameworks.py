"""
Versions of the framework (standards, prompts, descriptors) and of the
overall-rating policy. An assessment keeps the versions it was made with, and
every page and report of it reads them, so a version that is published or in
use never changes: a change is a new draft version, copied from one that
exists, which an administrator publishes. New assessments use the newest
published version.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import Action, audit_record
from ratings.models import (
    Assessment,
    Descriptor,
    Framework,
    OverallPolicy,
    Prompt,
    Standard,
)
from ratings.policy import validate_bands

Version = Framework | OverallPolicy


def _what(version: Version) -> str:
    if isinstance(version, Framework):
        return _("Framework version %(number)s") % {"number": version.version}
    return _("Overall rating policy version %(number)s") % {"number": version.version}


def assessments_using(version: Version) -> int:
    """How many assessments, live or benchmarking, were made with this version."""
    field = "framework" if isinstance(version, Framework) else "policy"
    return Assessment.objects.filter(**{field: version}).count()


def locked_reason(version: Version | None) -> str:
    """Why the version cannot be changed or deleted; empty for a draft nobody uses."""
    if version is None or version.pk is None:
        return ""
    used = assessments_using(version)
    if not used and not version.is_published:
        return ""
    facts = []
    if version.is_published:
        facts.append(_("it is published"))
    if used:
        facts.append(
            ngettext(
                "%(count)s assessment uses it",
                "%(count)s assessments use it",
                used,
            )
            % {"count": f"{used:,}"}
        )
    return _(
        "%(what)s cannot be changed or deleted: %(facts)s, and a change would "
        "rewrite what those assessments and their reports show. To change it, "
        "make a new draft version from this one, change the draft, and "
        "publish it."
    ) % {"what": _what(version), "facts": _(" and ").join(facts)}


def require_changeable(version: Version | None) -> None:
    """Refuse any change to a published version, or one an assessment uses."""
    if reason := locked_reason(version):
        raise ValidationError(reason)


def next_version_number(model) -> int:
    return (model.objects.aggregate(n=Max("version"))["n"] or 0) + 1


@transaction.atomic
def framework_draft_from(*, framework: Framework, by, request=None) -> Framework:
    """A new draft version: a copy of the framework's standards, prompts and
    descriptors, to change and then publish."""
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    draft = Framework.objects.create(
        version=next_version_number(Framework),
        name=framework.name,
        based_on=framework,
    )
    for standard in framework.standards.prefetch_related("prompts", "descriptors"):
        copy = Standard.objects.create(
            framework=draft,
            number=standard.number,
            name=standard.name,
            summary=standard.summary,
        )
        Prompt.objects.bulk_create(
            Prompt(standard=copy, position=p.position, text=p.text)
            for p in standard.prompts.all()
        )
        Descriptor.objects.bulk_create(
            Descriptor(standard=copy, rating=d.rating, text=d.text)
            for d in standard.descriptors.all()
        )
    audit_record(
        action=Action.FRAMEWORK_DRAFTED,
        request=request,
        actor=by,
        target=draft,
        details={"version": draft.version, "copied_from": framework.version},
    )
    return draft


@transaction.atomic
def policy_draft_from(*, policy: OverallPolicy, by, request=None) -> OverallPolicy:
    """A new draft version of the overall-rating policy, copied from this one."""
    OverallPolicy.objects.select_for_update().filter(pk=policy.pk).first()
    draft = OverallPolicy.objects.create(
        version=next_version_number(OverallPolicy),
        kind=policy.kind,
        bands=policy.bands,
        limiting_standard=policy.limiting_standard,
        created_by=by,
        based_on=policy,
    )
    audit_record(
        action=Action.POLICY_DRAFTED,
        request=request,
        actor=by,
        target=draft,
        details={"version": draft.version, "copied_from": policy.version},
    )
    return draft


def policy_problems(policy: OverallPolicy, framework: Framework | None) -> list[str]:
    """What stops the policy suggesting an overall rating for the framework."""
    if policy.kind == OverallPolicy.Kind.JUDGEMENT or framework is None:
        return []
    numbers = set(framework.standards.values_list("number", flat=True))
    problems = []
    try:
        validate_bands(policy.bands or [], standards=len(numbers))
    except ValidationError as error:
        problems.extend(error.messages)
    limiting = policy.kind == OverallPolicy.Kind.LIMITING
    if limiting and policy.limiting_standard not in numbers:
        problems.append(
            _("%(framework)s has no standard %(number)s to limit the overall rating")
            % {"framework": framework, "number": policy.limiting_standard}
        )
    return problems


def _active(model):
    return model.objects.select_for_update().filter(is_active=True).first()


def _publish(version: Version, *, by) -> None:
    """Publish the draft; the newest published version is the one new
    assessments use."""
    model = type(version)
    version.published_at = timezone.now()
    version.published_by = by
    current = _active(model)
    if current is None or current.version < version.version:
        if current is not None:
            model.objects.filter(pk=current.pk).update(is_active=False)
        version.is_active = True
    version.save(update_fields=["published_at", "published_by", "is_active"])


def _require_draft(version: Version) -> None:
    model = type(version)
    stored = model.objects.select_for_update().get(pk=version.pk)
    if stored.is_published:
        raise ValidationError(
            _("%(what)s is published already") % {"what": _what(version)}
        )


@transaction.atomic
def framework_publish(*, framework: Framework, by, request=None) -> None:
    """Publish a draft framework; if it is the newest, new assessments use it."""
    _require_draft(framework)
    if not framework.standards.exists():
        raise ValidationError(_("Add at least one standard before publishing"))
    policy = _active(OverallPolicy)
    if policy is not None and (problems := policy_problems(policy, framework)):
        raise ValidationError(
            [
                _("The overall rating policy in use does not fit this framework:"),
                *problems,
            ]
        )
    _publish(framework, by=by)
    audit_record(
        action=Action.FRAMEWORK_PUBLISHED,
        request=request,
        actor=by,
        target=framework,
        details={"version": framework.version, "in_use": framework.is_active},
    )


@transaction.atomic
def policy_publish(*, policy: OverallPolicy, by, request=None) -> None:
    """Publish a draft policy; if it is the newest, new assessments use it."""
    _require_draft(policy)
    if problems := policy_problems(policy, _active(Framework)):
        raise ValidationError(problems)
    _publish(policy, by=by)
    audit_record(
        action=Action.POLICY_PUBLISHED,
        request=request,
        actor=by,
        target=policy,
        details={"version": policy.version, "in_use": policy.is_active},
    )
