from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from reports import selectors, services
from reports.kinds import KINDS
from reports.permissions import can_change_job, get_job_for_user
from sfoqa.uploads import document_response


def job_list(request):
    jobs = selectors.jobs_requested_by(user=request.user)
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": KINDS, "page_title": _("Your reports")}
    return render(request, "reports/job_list.html", context)


def job_detail(request, pk):
    job = get_job_for_user(request.user, pk)
    context = {
        "job": job,
        "kind": KINDS[job.kind],
        "can_change": can_change_job(request.user, job),
        "retention_days": settings.REPORT_FILE_RETENTION_DAYS,
        "page_title": KINDS[job.kind].title,
    }
    return render(request, "reports/job_detail.html", context)


def job_status(request, pk):
    job = get_job_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "progress": job.progress,
            "finished": job.is_finished,
        }
    )


def job_download(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.status != job.Status.DONE or not job.file:
        # Not made yet, failed, or deleted after the retention period: the
        # job's page says which.
        return redirect("reports:job_detail", pk=job.pk)
    audit_record(
        action=Action.REPORT_DOWNLOADED,
        request=request,
        target=job,
        details={"kind": job.kind, "sha256": job.sha256},
    )
    return document_response(
        storage_name=job.file, download_name=job.filename, content_type=job.content_type
    )


def job_retry(request, pk):
    job = get_job_for_user(request.user, pk, write=True)
    services.report_job_retry(job=job, by=request.user, request=request)
    messages.success(request, _("The report is being made again"))
    return redirect("reports:job_detail", pk=job.pk)
