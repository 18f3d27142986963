"""Objects for the browser page catalogue: assessments in each state."""

from ratings import services
from ratings.models import Finding, Theme
from tests.ratings.conftest import make_allocation, rate_everything
from tests.reviews.factories import hmpps_organisation


def _hmpps_in_organisation(users):
    hmpps = users["hmpps_sfo"]
    hmpps.organisation = hmpps_organisation()
    hmpps.save(update_fields=["organisation"])


def a_draft(users):
    assessment = services.assessment_start(allocation=make_allocation(users))
    finding = Finding.objects.create(
        assessment=assessment,
        kind=Finding.Kind.POOR_PRACTICE,
        text="Risk not reviewed after the arrest",
        level=Finding.Level.TEAM,
        action_plan_addresses=Finding.Addressed.PARTLY,
    )
    finding.themes.set(Theme.objects.all()[:2])
    return {"pk": assessment.pk}


def a_draft_standard(users):
    return a_draft(users) | {"number": 1}


def a_draft_finding(users):
    pk = a_draft(users)["pk"]
    return {"pk": pk, "finding_pk": Finding.objects.get(assessment_id=pk).pk}


def a_submitted(users):
    assessment = services.assessment_start(allocation=make_allocation(users))
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment,
        by=users["inspector"],
        lock_version=assessment.lock_version,
        warnings_confirmed=True,
    )
    return {"pk": assessment.pk}


def a_signed_off(users):
    pk = a_submitted(users)["pk"]
    from ratings.models import Assessment

    services.assessment_sign_off(
        assessment=Assessment.objects.get(pk=pk), by=users["lead_inspector"]
    )
    return {"pk": pk}


def a_published(users):
    from ratings.models import Assessment

    _hmpps_in_organisation(users)
    pk = a_signed_off(users)["pk"]
    services.assessment_publish(
        assessment=Assessment.objects.get(pk=pk), by=users["lead_inspector"]
    )
    return {"pk": pk}


def published_list(users):
    a_published(users)
    return {}
