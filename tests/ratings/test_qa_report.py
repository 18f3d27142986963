"""The published QA report: hostile text prints as text and fetches nothing."""

import pytest
from django.core.files.storage import default_storage

from ratings import services
from ratings.models import Finding, Rating
from reports.models import ReportJob
from tests.ratings.conftest import rate_everything
from tests.sfoqa.test_pdf import listener, pdftotext  # noqa: F401 - fixture


def hostile(port: int) -> list[str]:
    return [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        f'<img src="http://127.0.0.1:{port}/evidence">',
        "<link rel=attachment href=file:///etc/passwd>",
        f"<style>@import url(http://127.0.0.1:{port}/css);</style>",
        "{{7*7}} {% debug %}",
    ]


@pytest.mark.django_db
def test_hostile_text_in_every_field_is_literal_in_the_pdf(
    assessment, users, listener, tmp_path,  # noqa: F811
    django_capture_on_commit_callbacks, run_tasks_in_process,
):  # fmt: skip
    lines = hostile(listener.server_address[1])
    text = "\n".join(lines)
    rate_everything(
        assessment, ratings=(2, 2, 2, 2), overall=Rating.OUTSTANDING, text=text
    )
    Finding.objects.create(
        assessment=assessment, kind=Finding.Kind.POOR_PRACTICE, text=text,
        level=Finding.Level.TEAM, action_plan_addresses=Finding.Addressed.NO,
        action_plan_comment=text,
    )  # fmt: skip
    lead = users["lead_inspector"]
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    services.assessment_sign_off(assessment=assessment, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.assessment_publish(assessment=assessment, by=lead)

    job = ReportJob.objects.get(pk=publication.report_job_id)
    assert job.status == ReportJob.Status.DONE
    document = default_storage.open(job.file).read()
    printed = pdftotext(document, tmp_path)
    for line in lines:
        assert line in printed
    assert listener.connections == 0
    assert b"/EmbeddedFile" not in document
    assert "root:x:0:0" not in printed
