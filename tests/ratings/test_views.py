import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from ratings import services
from ratings.models import Assessment, StandardAssessment
from tests.conftest import SIGNED_IN_QUERIES, sign_in
from tests.ratings.conftest import make_allocation, rate_everything

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "{% debug %}",
    "\u202egnp.exe",
]


def standard_url(assessment, number=1):
    return reverse("ratings:standard", kwargs={"pk": assessment.pk, "number": number})


def standard_post(assessment, row, **values):
    data = {"lock_version": assessment.lock_version, "continue": "1"}
    for answer in row.answers.all():
        data[f"answer_{answer.prompt_id}"] = "partly"
        data[f"note_{answer.prompt_id}"] = "note"
    return data | values


@pytest.mark.django_db
def test_the_rating_form_preselects_nothing(client_for, assessment):
    page = client_for(Role.INSPECTOR).get(standard_url(assessment)).content.decode()
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', page)
    assert len(radios) > 20
    assert not [radio for radio in radios if "checked" in radio]
    assert "A thorough, objective and insightful analysis" in page  # descriptors


@pytest.mark.django_db
def test_saving_a_standard_moves_to_the_next_section(client_for, assessment):
    row = assessment.standards.first()
    response = client_for(Role.INSPECTOR).post(
        standard_url(assessment),
        standard_post(assessment, row, rating="2", evidence="p.4"),
    )
    assert response.url == standard_url(assessment, 2)
    row.refresh_from_db()
    assert (row.rating, row.evidence) == (2, "p.4")
    assert set(row.answers.values_list("answer", flat=True)) == {"partly"}


@pytest.mark.django_db
def test_the_second_writer_gets_a_conflict_page_that_keeps_their_text(
    client_for, users, assessment
):
    row = assessment.standards.first()
    first, second = client_for(Role.INSPECTOR), client_for(Role.INSPECTOR)
    stale = standard_post(assessment, row, evidence="Saved first")
    first.post(standard_url(assessment), stale)
    response = second.post(
        standard_url(assessment), stale | {"evidence": "My long careful analysis"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this assessment" in page
    assert "My long careful analysis" in page
    assert f'value="{assessment.lock_version + 1}"' in page  # ready to save again
    row.refresh_from_db()
    assert row.evidence == "Saved first"


@pytest.mark.django_db
def test_autosave_keeps_work_through_a_timed_out_session(client, users, assessment):
    inspector = users[Role.INSPECTOR]
    sign_in(client, inspector)
    row = assessment.standards.first()
    url = reverse(
        "ratings:autosave", kwargs={"pk": assessment.pk, "section": "standard-1"}
    )
    response = client.post(
        url, standard_post(assessment, row, evidence="Autosaved text")
    )
    assert response.json() == {
        "saved": True,
        "lock_version": assessment.lock_version + 1,
    }

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(standard_url(assessment)).status_code == 302  # signed out
    sign_in(client, inspector)
    assert "Autosaved text" in client.get(standard_url(assessment)).content.decode()


@pytest.mark.django_db
def test_autosave_reads_only_the_standards_and_writes_only_what_changed(
    client_for, users, assessment, django_assert_num_queries
):
    from ratings.models import Finding, ModerationComment

    Finding.objects.create(
        assessment=assessment, kind="learning", text="Point", level="team"
    )
    ModerationComment.objects.create(
        assessment=assessment,
        section="findings",
        text="More",
        author=users["lead_inspector"],
    )
    client = client_for(Role.INSPECTOR)
    row = assessment.standards.first()
    url = reverse(
        "ratings:autosave", kwargs={"pk": assessment.pk, "section": "standard-1"}
    )
    first = client.post(url, standard_post(assessment, row, evidence="First"))
    assert first.json()["saved"] is True
    again = standard_post(
        assessment, row, evidence="Second", lock_version=first.json()["lock_version"]
    )
    # the assessment; the standard saved (not the other three), its
    # descriptors and answers; the savepoint, the new version, the
    # standard's row and the savepoint's release: no prompt answer changed,
    # so none is written
    made = []

    def count(instance, **kwargs):
        made.append(instance)

    post_init.connect(count, sender=StandardAssessment)
    try:
        with django_assert_num_queries(SIGNED_IN_QUERIES + 8):
            response = client.post(url, again)
    finally:
        post_init.disconnect(count, sender=StandardAssessment)
    assert response.json()["saved"] is True
    assert assessment.standards.count() == 4 and len(made) == 1
    row.refresh_from_db()
    assert row.evidence == "Second"
    assert {(a.answer, a.note) for a in row.answers.all()} == {("partly", "note")}


@pytest.mark.django_db
def test_autosave_reports_a_conflict_as_409(client_for, assessment):
    row = assessment.standards.first()
    url = reverse(
        "ratings:autosave", kwargs={"pk": assessment.pk, "section": "standard-1"}
    )
    data = standard_post(assessment, row, lock_version=assessment.lock_version - 1)
    assert client_for(Role.INSPECTOR).post(url, data).status_code == 409


@pytest.mark.django_db
def test_drafts_are_seen_only_by_their_inspector_and_leads(
    client_for, make_user, assessment
):
    url = reverse("ratings:task_list", kwargs={"pk": assessment.pk})
    assert client_for(Role.INSPECTOR).get(url).status_code == 200
    assert client_for(Role.LEAD_INSPECTOR).get(url).status_code == 200
    assert client_for(Role.HMPPS_SFO).get(url).status_code == 403
    assert client_for(Role.PANEL_MEMBER).get(url).status_code == 403
    other = make_user(Role.INSPECTOR, email="other.inspector@example.org")
    from django.test import Client

    assert sign_in(Client(), other).get(url).status_code == 404
    assert sign_in(Client(), other).get(standard_url(assessment)).status_code == 404


@pytest.mark.django_db
def test_leads_read_but_cannot_edit_an_inspectors_draft(client_for, assessment):
    lead = client_for(Role.LEAD_INSPECTOR)
    page = lead.get(standard_url(assessment))
    assert page.status_code == 200
    assert "only they can change it" in page.content.decode()
    assert 'name="lock_version"' not in page.content.decode()
    row = assessment.standards.first()
    saving = standard_post(assessment, row, evidence="Not the lead's to write")
    assert lead.post(standard_url(assessment), saving).status_code == 403


@pytest.mark.django_db
def test_hostile_text_is_shown_escaped_everywhere(client_for, users, assessment):
    text = "\n".join(HOSTILE)
    rate_everything(assessment, text=text)
    client = client_for(Role.INSPECTOR)
    for url in (
        reverse("ratings:check", kwargs={"pk": assessment.pk}),
        standard_url(assessment),
        reverse("ratings:overall", kwargs={"pk": assessment.pk}),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img src=x" not in page
        assert "{{7*7}}" in page  # shown as typed, never evaluated


@pytest.mark.django_db
def test_moderator_comments_reach_the_inspectors_section(client_for, users, assessment):
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users[Role.INSPECTOR],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    lead = client_for(Role.LEAD_INSPECTOR)
    moderate = reverse("ratings:moderate", kwargs={"pk": assessment.pk})
    response = lead.post(moderate, {"standard-1": "Explain why", "return": "1"})
    assert response.url == reverse("ratings:moderation_queue")
    page = client_for(Role.INSPECTOR).get(standard_url(assessment)).content.decode()
    assert "Explain why" in page


@pytest.mark.django_db
def test_returning_without_a_comment_is_refused(client_for, users, assessment):
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users[Role.INSPECTOR],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    moderate = reverse("ratings:moderate", kwargs={"pk": assessment.pk})
    page = client_for(Role.LEAD_INSPECTOR).post(moderate, {"return": "1"})
    assert "Write at least one comment" in page.content.decode()
    # The error summary links to the first comment box, which shows the error.
    first_box = next(iter(page.context["form"].fields))
    assert f'href="#id_{first_box}"' in page.content.decode()
    assert page.context["form"].errors[first_box]
    assert (
        Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED
    )


def more_assessments(users, count):
    return [
        services.assessment_start(allocation=make_allocation(users))
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_the_task_list_and_form_queries_do_not_grow(
    client_for, users, assessment, django_assert_num_queries
):
    from ratings.models import Finding, ModerationComment, Theme

    for n in range(5):
        finding = Finding.objects.create(
            assessment=assessment, kind="learning", text=f"Point {n}", level="team"
        )
        finding.themes.set(Theme.objects.all()[:3])
        ModerationComment.objects.create(
            assessment=assessment,
            section="findings",
            text="More",
            author=users["lead_inspector"],
        )
    client = client_for(Role.INSPECTOR)
    url = reverse("ratings:task_list", kwargs={"pk": assessment.pk})
    # assessment with its joins; its review with the review's lookups;
    # standards, descriptors, answers, findings, themes, comments and their
    # authors (prefetches); the audit insert; the count of learning in the
    # library on the findings' themes; whether the findings are confirmed
    # complete
    with django_assert_num_queries(SIGNED_IN_QUERIES + 12):
        client.get(url)
    # the form: the assessment with its review; this standard, its
    # descriptors and answers; the comments with their authors
    with django_assert_num_queries(SIGNED_IN_QUERIES + 5):
        client.get(standard_url(assessment))


@pytest.mark.django_db
def test_the_moderation_queue_queries_do_not_grow(
    client_for, users, assessment, django_assert_num_queries
):
    for item in [assessment, *more_assessments(users, 5)]:
        rate_everything(item)
        services.assessment_submit(
            assessment=item, by=users[Role.INSPECTOR],
            lock_version=item.lock_version, warnings_confirmed=True,
        )  # fmt: skip
    for item in more_assessments(users, 4):
        rate_everything(item)
        services.assessment_submit(
            assessment=item, by=users[Role.INSPECTOR],
            lock_version=item.lock_version, warnings_confirmed=True,
        )  # fmt: skip
        services.assessment_sign_off(assessment=item, by=users[Role.LEAD_INSPECTOR])
    client = client_for(Role.LEAD_INSPECTOR)
    # the queue and the signed-off list, with their joins
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        response = client.get(reverse("ratings:moderation_queue"))
    assert len(response.context["assessments"]) == 6
    assert len(response.context["to_publish"]) == 4
    assert StandardAssessment.objects.count() == 40


@pytest.mark.django_db
def test_a_prompt_note_keeps_what_was_typed_escaped_and_points_to_its_error(
    client_for, assessment
):
    row = assessment.standards.first()
    first, second = list(row.answers.all())[:2]
    too_long = '"><script>alert(1)</script>' + "x" * 2000
    page = (
        client_for(Role.INSPECTOR)
        .post(
            standard_url(assessment),
            standard_post(
                assessment,
                row,
                **{f"note_{first.prompt_id}": too_long},
                **{f"note_{second.prompt_id}": 'Tom & "Jerry"'},
            ),
        )
        .content.decode()
    )
    wrong = re.search(rf'<input type="text" name="note_{first.prompt_id}"[^>]*>', page)
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;xxx' in wrong[0]
    assert 'maxlength="2000" class="govuk-input govuk-input--error"' in wrong[0]
    assert 'aria-invalid="true"' in wrong[0]
    described = re.search(r'aria-describedby="([^"]+)"', wrong[0])[1]
    assert f'<span id="{described}" class="govuk-error-message">' in page
    right = re.search(rf'<input type="text" name="note_{second.prompt_id}"[^>]*>', page)
    assert right[0] == (
        f'<input type="text" name="note_{second.prompt_id}" '
        'value="Tom &amp; &quot;Jerry&quot;" maxlength="2000" class="govuk-input" '
        f'id="id_note_{second.prompt_id}">'
    )
