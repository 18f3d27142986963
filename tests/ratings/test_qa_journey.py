"""The quality-assurance journey without dead ends: every step links to the next."""

import re
import subprocess

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.roles import Role
from ratings import services
from ratings.models import Assessment, Finding, Rating
from reports.models import ReportJob
from reviews.models import Allocation
from tests.ratings.conftest import rate_everything
from tests.reviews.factories import hmpps_organisation

pytestmark = pytest.mark.django_db


def submit(assessment, users):
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def sign_off(assessment, users):
    submit(assessment, users)
    services.assessment_sign_off(assessment=assessment, by=users["lead_inspector"])
    assessment.refresh_from_db()
    return assessment


def publish(assessment, users, capture):
    sign_off(assessment, users)
    with capture(execute=True):
        publication = services.assessment_publish(
            assessment=assessment, by=users["lead_inspector"]
        )
    return publication


def url(name, assessment, **kwargs):
    return reverse(name, kwargs={"pk": assessment.pk, **kwargs})


# The way to Publish.


def test_signed_off_assessments_wait_on_the_moderation_page_with_publish(
    client_for, users, assessment
):
    sign_off(assessment, users)
    page = client_for(Role.LEAD_INSPECTOR).get(reverse("ratings:moderation_queue"))
    text = page.content.decode()
    section = text.split('id="to-publish"')[1]
    assert assessment.review.hmpps_reference in section
    assert f'href="{url("ratings:publish", assessment)}"' in section
    assert "Nothing is waiting to be published" not in section


def test_the_moderation_page_says_when_nothing_waits_to_be_published(client_for):
    page = client_for(Role.LEAD_INSPECTOR).get(reverse("ratings:moderation_queue"))
    assert "Nothing is waiting to be published" in page.content.decode()


def test_the_review_page_and_the_assessment_link_to_each_other_for_leads(
    client_for, users, assessment
):
    sign_off(assessment, users)
    lead = client_for(Role.LEAD_INSPECTOR)
    review_url = reverse("reviews:detail", kwargs={"pk": assessment.review_id})
    review_page = lead.get(review_url).content.decode()
    assert f'href="{url("ratings:task_list", assessment)}"' in review_page
    assert f'href="{url("ratings:publish", assessment)}"' in review_page
    task_list = lead.get(url("ratings:task_list", assessment)).content.decode()
    assert f'href="{review_url}"' in task_list


def test_hmpps_reads_the_published_report_from_the_review_page(
    client_for, users, assessment, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    users["hmpps_sfo"].organisation = hmpps_organisation()
    users["hmpps_sfo"].save()
    assessment.review.organisation = hmpps_organisation()
    assessment.review.save()
    publication = publish(assessment, users, django_capture_on_commit_callbacks)
    hmpps = client_for(Role.HMPPS_SFO)
    page = hmpps.get(reverse("reviews:detail", kwargs={"pk": assessment.review_id}))
    download = reverse("reports:job_download", kwargs={"pk": publication.report_job_id})
    assert f'href="{download}"' in page.content.decode()
    assert hmpps.get(download).status_code == 200
    # The email goes to the report itself, too.
    assert any(download in message.body for message in mail.outbox)


def test_the_moderation_page_links_to_the_review_and_its_document(
    client_for, users, assessment
):
    submit(assessment, users)
    page = client_for(Role.LEAD_INSPECTOR).get(url("ratings:moderate", assessment))
    text = page.content.decode()
    assert (
        f'href="{reverse("reviews:detail", kwargs={"pk": assessment.review_id})}"'
        in text
    )
    document = reverse("reviews:document", kwargs={"pk": assessment.document_id})
    assert f'href="{document}"' in text


# Read-only sections.


@pytest.mark.parametrize(
    "section",
    [
        ("ratings:standard", {"number": 2}),
        ("ratings:overall", {}),
        ("ratings:findings", {}),
    ],
)
def test_a_submitted_section_opens_read_only_saying_why(
    client_for, users, assessment, section
):
    name, kwargs = section
    submit(assessment, users)
    inspector = client_for(Role.INSPECTOR)
    response = inspector.get(url(name, assessment, **kwargs))
    assert response.status_code == 200
    text = response.content.decode()
    assert "You submitted this assessment for moderation, so it cannot be" in text
    assert 'name="lock_version"' not in text
    assert "Evidence p.3" in text or name == "ratings:findings"
    refused = inspector.post(
        url(name, assessment, **kwargs), {"lock_version": assessment.lock_version}
    )
    assert refused.status_code == 403


def test_a_published_section_says_a_lead_can_reopen_it(
    client_for, users, assessment, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    publish(assessment, users, django_capture_on_commit_callbacks)
    page = client_for(Role.INSPECTOR).get(url("ratings:overall", assessment))
    assert "A lead inspector can reopen it" in page.content.decode()


# Two writers at once.


def standard_data(assessment, **values):
    row = assessment.standards.get(standard__number=1)
    data = {"lock_version": assessment.lock_version, "continue": "1"}
    for answer in row.answers.all():
        data[f"answer_{answer.prompt_id}"] = "yes"
        data[f"note_{answer.prompt_id}"] = ""
    return data | values


def conflicting(client_for, assessment):
    """The first window saves; the second, from the same stale copy, conflicts."""
    first, second = client_for(Role.INSPECTOR), client_for(Role.INSPECTOR)
    stale = standard_data(
        assessment, rating="1", evidence="Risk was reviewed late (p.4)",
        strengths="Clear chronology",
    )  # fmt: skip
    first.post(url("ratings:standard", assessment, number=1), stale)
    response = second.post(
        url("ratings:standard", assessment, number=1),
        stale | {"rating": "2", "evidence": "Risk was never reviewed (p.4)"},
    )
    return second, response


def test_the_conflict_page_shows_both_versions_field_by_field(client_for, assessment):
    _, response = conflicting(client_for, assessment)
    assert response.status_code == 409
    differences = response.context["differences"]
    assert [d.name for d in differences] == ["rating", "evidence"]
    evidence = differences[1]
    assert ("never", True) in evidence.mine_shown
    assert ("late", True) in evidence.theirs_shown
    assert ("Risk was ", False) in evidence.mine_shown
    text = response.content.decode()
    assert '<mark class="app-diff">never</mark>' in text
    assert '<mark class="app-diff">late</mark>' in text
    assert "Keep mine" in text and "Keep theirs" in text and "Merge them" in text
    fresh = Assessment.objects.get(pk=assessment.pk).lock_version
    assert f'name="lock_version" value="{fresh}"' in text
    # Nothing was overwritten.
    row = assessment.standards.get(standard__number=1)
    assert (row.rating, row.evidence) == (1, "Risk was reviewed late (p.4)")


def test_the_writer_chooses_per_field_and_saves_against_the_new_version(
    client_for, assessment
):
    second, response = conflicting(client_for, assessment)
    fresh = Assessment.objects.get(pk=assessment.pk).lock_version
    data = dict(response.context["mine_fields"])
    data |= {
        "lock_version": fresh,
        "resolve_conflict": "1",
        "save": "1",
        "keep_rating": "theirs",
        "keep_evidence": "merge",
        "merged_evidence": "Risk was reviewed late and not after the arrest (p.4)",
    }
    saved = second.post(url("ratings:standard", assessment, number=1), data)
    assert saved.status_code == 302
    row = assessment.standards.get(standard__number=1)
    assert row.rating == 1  # theirs
    assert row.evidence == "Risk was reviewed late and not after the arrest (p.4)"
    assert row.strengths == "Clear chronology"
    assert Assessment.objects.get(pk=assessment.pk).lock_version == fresh + 1


def test_a_field_left_unchosen_saves_nothing_and_asks_again(client_for, assessment):
    second, response = conflicting(client_for, assessment)
    fresh = Assessment.objects.get(pk=assessment.pk).lock_version
    data = dict(response.context["mine_fields"])
    data |= {"lock_version": fresh, "resolve_conflict": "1", "keep_rating": "mine"}
    again = second.post(url("ratings:standard", assessment, number=1), data)
    assert again.status_code == 409
    text = again.content.decode()
    assert "Choose which version of evidence for the rating to keep" in text
    assert 'href="#keep_evidence"' in text
    row = assessment.standards.get(standard__number=1)
    assert (row.rating, row.evidence) == (1, "Risk was reviewed late (p.4)")


def test_keeping_mine_on_an_older_version_conflicts_again(client_for, assessment):
    second, response = conflicting(client_for, assessment)
    stale = Assessment.objects.get(pk=assessment.pk).lock_version
    client_for(Role.INSPECTOR).post(
        url("ratings:standard", assessment, number=1),
        standard_data(Assessment.objects.get(pk=assessment.pk), evidence="Third"),
    )
    data = dict(response.context["mine_fields"])
    data |= {
        "lock_version": stale, "resolve_conflict": "1",
        "keep_rating": "mine", "keep_evidence": "mine",
    }  # fmt: skip
    again = second.post(url("ratings:standard", assessment, number=1), data)
    assert again.status_code == 409
    assert assessment.standards.get(standard__number=1).evidence == "Third"


def test_a_finding_changed_by_someone_else_is_shown_beside_mine(client_for, assessment):
    finding = Finding.objects.create(
        assessment=assessment, kind=Finding.Kind.LEARNING, text="Original",
        level=Finding.Level.TEAM,
    )  # fmt: skip
    edit = reverse(
        "ratings:finding_edit", kwargs={"pk": assessment.pk, "finding_pk": finding.pk}
    )
    stale = {
        "lock_version": assessment.lock_version, "kind": Finding.Kind.LEARNING,
        "level": Finding.Level.TEAM,
    }  # fmt: skip
    client_for(Role.INSPECTOR).post(edit, stale | {"text": "Theirs"})
    response = client_for(Role.INSPECTOR).post(edit, stale | {"text": "Mine"})
    assert response.status_code == 409
    assert [d.name for d in response.context["differences"]] == ["text"]
    finding.refresh_from_db()
    assert finding.text == "Theirs"


# Rating.


def test_the_review_page_offers_start_rating_after_no_conflict(client_for, allocation):
    page = client_for(Role.INSPECTOR).get(
        reverse("reviews:detail", kwargs={"pk": allocation.review_id})
    )
    text = page.content.decode()
    start = reverse("ratings:start", kwargs={"review_pk": allocation.review_id})
    assert f'action="{start}"' in text and "Start rating" in text


def test_the_review_page_offers_no_start_before_the_declaration(client_for, allocation):
    Allocation.objects.filter(pk=allocation.pk).update(
        conflict=Allocation.Conflict.PENDING
    )
    page = client_for(Role.INSPECTOR).get(
        reverse("reviews:detail", kwargs={"pk": allocation.review_id})
    )
    assert "Start rating" not in page.content.decode()


def test_a_submitted_assessments_findings_show_as_complete(
    client_for, assessment, users
):
    Finding.objects.create(
        assessment=assessment, kind=Finding.Kind.LEARNING, text="A point",
        level=Finding.Level.TEAM,
    )  # fmt: skip
    submit(assessment, users)
    page = client_for(Role.INSPECTOR).get(url("ratings:task_list", assessment))
    status = re.search(
        r'id="findings-status">\s*(.*?)\s*</div>', page.content.decode(), re.S
    ).group(1)
    assert status == "Completed"


def test_findings_are_complete_once_recorded_and_confirmed(client_for, assessment):
    inspector = client_for(Role.INSPECTOR)

    def status():
        page = inspector.get(url("ratings:task_list", assessment)).content.decode()
        return re.search(r'id="findings-status">\s*(.*?)\s*</div>', page, re.S).group(1)

    assert "Not yet started" in status()
    refused = inspector.post(url("ratings:findings", assessment))
    assert "Add a finding before you say they are all recorded" in (
        refused.content.decode()
    )
    Finding.objects.create(
        assessment=assessment, kind=Finding.Kind.LEARNING, text="A point",
        level=Finding.Level.TEAM,
    )  # fmt: skip
    assert "In progress" in status()
    page = inspector.get(url("ratings:findings", assessment)).content.decode()
    assert "I have recorded all findings" in page
    confirmed = inspector.post(url("ratings:findings", assessment))
    assert confirmed.url == url("ratings:overall", assessment)
    assert status() == "Completed"


def test_unusual_combinations_are_summarised_at_the_top(client_for, assessment):
    rate_everything(assessment, ratings=(0, 0, 2, 2), overall=Rating.GOOD)
    page = client_for(Role.INSPECTOR).get(url("ratings:check", assessment))
    text = page.content.decode()
    summary = text.index("govuk-error-summary")
    assert summary < text.index('id="standard-1"')
    assert "Check these points before you submit" in text
    assert 'href="#id_confirm"' in text
    assert "two or more standards are Inadequate" in text[summary : summary + 2000]


def test_submit_is_never_disabled_and_says_what_is_missing(client_for, assessment):
    inspector = client_for(Role.INSPECTOR)
    text = inspector.get(url("ratings:check", assessment)).content.decode()
    assert "disabled" not in text.split("Submit for moderation")[0].rsplit("<", 1)[1]
    assert not re.search(r"<button[^>]*disabled", text)
    response = inspector.post(
        url("ratings:check", assessment), {"lock_version": assessment.lock_version}
    )
    assert "Rate standard 1 and give the evidence" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_the_first_publication_asks_for_no_reason(client_for, users, assessment):
    sign_off(assessment, users)
    page = client_for(Role.LEAD_INSPECTOR).get(url("ratings:publish", assessment))
    text = page.content.decode()
    assert "published again" not in text
    assert 'name="reason"' not in text
    assert "Publish and send to HMPPS" in text


def test_a_republication_asks_why(
    client_for, users, assessment, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    publish(assessment, users, django_capture_on_commit_callbacks)
    lead = users["lead_inspector"]
    services.assessment_reopen(assessment=assessment, by=lead, reason="Facts")
    assessment.refresh_from_db()
    submit(assessment, users)
    services.assessment_sign_off(assessment=assessment, by=lead)
    page = client_for(Role.LEAD_INSPECTOR).get(url("ratings:publish", assessment))
    text = page.content.decode()
    assert "Why is the rating being published again?" in text
    assert 'name="reason"' in text


def test_the_inspector_is_emailed_when_the_assessment_is_returned(
    users, assessment, django_capture_on_commit_callbacks, run_tasks_in_process,
    settings,
):  # fmt: skip
    settings.SITE_URL = "https://sfoqa.example.org"
    submit(assessment, users)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(
            assessment=assessment, by=users["lead_inspector"],
            comments={"standard-1": "Explain why"},
        )  # fmt: skip
    assert [m.to for m in mail.outbox] == [[users["inspector"].email]]
    message = mail.outbox[0]
    assert assessment.review.hmpps_reference in message.subject
    task_list = url("ratings:task_list", assessment)
    assert f"https://sfoqa.example.org{task_list}" in message.body
    assert "Explain why" not in message.body  # comments stay in the service


# The QA report.


def pdf_pages(document: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return text.split("\f")


@pytest.mark.parametrize("padding", [18, 24, 30, 36, 42])
def test_the_qa_report_keeps_captions_with_tables_dates_it_and_annexes_prompts(
    users, assessment, tmp_path, padding, django_capture_on_commit_callbacks,
    run_tasks_in_process,
):  # fmt: skip
    # Evidence of several lengths moves the tables up and down the pages.
    rate_everything(assessment, text="Evidence on p.3.\n" * padding)
    for n in range(6):
        Finding.objects.create(
            assessment=assessment, kind=Finding.Kind.LEARNING,
            text=f"Learning point {n} " * 8, level=Finding.Level.TEAM,
        )  # fmt: skip
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    lead = users["lead_inspector"]
    services.assessment_sign_off(assessment=assessment, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.assessment_publish(assessment=assessment, by=lead)
    job = ReportJob.objects.get(pk=publication.report_job_id)
    pages = pdf_pages(default_storage.open(job.file).read(), tmp_path)
    whole = "\n".join(pages)
    published = publication.published_at.strftime("%-d %B %Y")
    assert f"Published {published}" in whole
    assert "Annex: answers to the prompts" in whole
    prompt = assessment.standards.first().answers.first().prompt.text
    assert prompt.split()[0] in whole.split("Annex: answers to the prompts")[1]
    # Each caption is on the same page as its table's first row.
    first_rows = {
        "Case facts": "HMPPS reference",
        "Findings by kind": "Learning point 0",
        "Standard 1. ": "Prompt",
        "Standard 4. ": "Prompt",
    }
    for caption, first_row in first_rows.items():
        page = next(p for p in pages if caption in p)
        assert first_row in page.split(caption, 1)[1], caption


# Benchmarking.


def test_the_interval_is_withheld_below_five_reviews_and_never_zero_width():
    from ratings.benchmarking import statistics

    four = [[2, 2, 3], [1, 1, 2], [0, 1, 1], [3, 3, 2]]
    assert statistics.alpha_interval(four) is None
    figures = statistics.agreement(four)
    assert figures.too_few_for_interval and figures.low is None
    assert figures.alpha is not None  # the estimate itself is still given
    five = [*four, [2, 1, 2]]
    low, high = statistics.alpha_interval(five)
    assert low < high
    # Every resample agreeing perfectly would give a zero-width interval.
    same = [[2, 2], [1, 1], [3, 3], [0, 0], [2, 2]]
    assert statistics.alpha_interval(same) is None


def test_the_results_page_says_why_the_interval_is_not_shown(client_for, users):
    from tests.ratings.benchmarking import make_revealed_session

    session = make_revealed_session(users)
    page = client_for(Role.LEAD_INSPECTOR).get(
        reverse("ratings:benchmark_results", kwargs={"pk": session.pk})
    )
    text = page.content.decode()
    assert "Not shown: 2 reviews compared" in text
    assert "shown only where at least 5 reviews were compared" in text


def test_demo_sessions_are_dated_in_a_believable_order(reference_data):
    from accounts import demo as accounts_demo
    from ratings import demo
    from ratings.models import BenchmarkSession, Consensus

    accounts_demo.seed_users()
    demo.seed_benchmarking()
    finished = BenchmarkSession.objects.get(title=demo.FINISHED)
    still_open = BenchmarkSession.objects.get(title=demo.OPEN)
    assert finished.created_at.date() < finished.held_on
    assert finished.revealed_at.date() == finished.held_on
    agreed = Consensus.objects.filter(session_review__session=finished)
    assert all(c.recorded_at > finished.revealed_at for c in agreed)
    assert still_open.created_at.date() < still_open.held_on
    assert finished.held_on < still_open.held_on
    for session in (finished, still_open):
        assert "Spring" not in session.title and "Summer" not in session.title


def test_prompt_answers_save_without_a_prefetched_assessment(assessment):
    row = assessment.standards.first()  # loaded without its answers
    prompt = row.answers.first().prompt_id
    services.assessment_standard_save(
        assessment=assessment, standard=row, values={},
        answers={prompt: ("yes", "p.7")}, lock_version=assessment.lock_version,
    )  # fmt: skip
    saved = row.answers.get(prompt_id=prompt)
    assert (saved.answer, saved.note) == ("yes", "p.7")
