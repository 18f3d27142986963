from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from panels import permissions, selectors, services
from panels.charts import representation_chart
from panels.forms import (
    AgencyFilterForm,
    AttendanceForm,
    ChronologyForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    PanelForm,
    PaperForm,
    StatusForm,
    identifying_shapes,
)
from panels.ical import meeting_calendar
from panels.stamp import stamp_pdf, stamp_text
from panels.views.common import first_error, form_page
from sfoqa.uploads import content_disposition, document_response


def panel_list(request):
    context = {
        "panels": selectors.panels_for(user=request.user).order_by(
            "status", "-created_at"
        ),
        "can_create": request.user.has_role("lead_inspector"),
        "is_staff": permissions.is_staff(request.user),
        "page_title": _("Learning panels"),
    }
    return render(request, "panels/panel_list.html", context)


def panel_create(request):
    form = PanelForm(request.POST or None, initial={"chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = services.panel_create(
                by=request.user,
                title=data["title"],
                region=data["region"],
                chair=data["chair"],
                needed_agencies=data["needed_agencies"],
                reviews=data["references"],
                case_summary=data["case_summary"],
                request=request,
            )
        except ValidationError as error:
            first_error(form, "chair", error)
        else:
            messages.success(request, _("Panel set up: now invite its members"))
            return redirect("panels:detail", pk=panel.pk)
    return form_page(
        request,
        form,
        title=_("Set up a learning panel"),
        back_url=reverse("panels:list"),
    )


def panel_detail(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk)
    audit_record(action=Action.PANEL_VIEWED, request=request, target=panel)
    manage = permissions.can_manage(request.user, panel)
    members = selectors.members_of(panel)
    meetings = selectors.meetings_of(panel)
    staff = permissions.is_staff(request.user)
    context = {
        "panel": panel,
        "manage": manage,
        "is_staff": staff,
        "seat": permissions.seat(request.user, panel),
        "reviews": list(panel.reviews.all()) if staff else [],
        "members": members,
        "meetings": meetings,
        "representation": selectors.representation(panel, members, meetings),
        "papers_visible": permissions.papers_visible(request.user, panel),
        "papers": selectors.papers_of(panel),
        "learning": selectors.learning_of(panel),
        "actions": selectors.actions_of(panel),
        "unanswered_checks": selectors.unanswered_checks(panel) if manage else [],
        "evidence_waiting": selectors.evidence_waiting(panel) if manage else [],
        "summary_shapes": identifying_shapes(panel.case_summary) if manage else [],
        "page_title": panel.title,
    }
    return render(request, "panels/panel_detail.html", context)


def panel_edit(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    initial = {
        "title": panel.title,
        "region": panel.region_id,
        "needed_agencies": list(panel.needed_agencies.all()),
        "references": "\n".join(r.hmpps_reference for r in panel.reviews.all()),
        "case_summary": panel.case_summary,
    }
    form = PanelForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.panel_update(
            panel=panel,
            by=request.user,
            title=data["title"],
            region=data["region"],
            needed_agencies=data["needed_agencies"],
            case_summary=data["case_summary"],
            request=request,
        )
        panel.reviews.set(data["references"])
        messages.success(request, _("Panel changed"))
        return redirect("panels:detail", pk=panel.pk)
    return form_page(request, form, title=_("Change the panel"), panel=panel)


def panel_status(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST or None, initial={"status": panel.status})
    if request.method == "POST" and form.is_valid():
        services.panel_status_set(
            panel=panel,
            by=request.user,
            status=form.cleaned_data["status"],
            request=request,
        )
        messages.success(request, _("Panel status changed"))
        return redirect("panels:detail", pk=panel.pk)
    intro = _(
        "When the panel closes, its members can open its papers for "
        "%(days)s more days; its learning stays in the library."
    ) % {"days": settings.PANEL_PAPERS_VISIBLE_DAYS}
    return form_page(
        request, form, title=_("Change the status"), panel=panel, intro=intro
    )


def member_invite(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_member_invite(
                panel=panel, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            first_error(form, "email", error)
        else:
            messages.success(
                request, _("Invited: they see this panel and nothing of the reviews")
            )
            return redirect("panels:detail", pk=panel.pk)
    return form_page(request, form, title=_("Invite a member"), panel=panel)


def member_remove(request, pk, member_pk):
    """The chair takes a member off the panel, after a confirmation page."""
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    member = panel.members.select_related("user", "agency").filter(pk=member_pk).first()
    if member is None:
        raise Http404
    owned = selectors.open_actions_owned(panel, user=member.user)
    if request.method == "POST":
        services.panel_member_remove(member=member, by=request.user, request=request)
        messages.success(
            request,
            _("%(name)s is no longer on the panel") % {"name": member.user.full_name},
        )
        return redirect("panels:detail", pk=panel.pk)
    context = {
        "panel": panel,
        "member": member,
        "owned": owned,
        "agency_open_actions": selectors.agency_left_without_members(member),
        "page_title": _("Remove from the panel?"),
    }
    return render(request, "panels/member_remove.html", context)


def meeting_schedule(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    if panel.is_closed:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.meeting_schedule(
            panel=panel,
            by=request.user,
            starts_at=data["starts_at"],
            place=data["place"],
            link=data["link"],
            agenda=data["agenda"],
            request=request,
        )
        messages.success(request, _("Meeting scheduled and invitations sent"))
        return redirect("panels:meeting", pk=meeting.pk)
    return form_page(request, form, title=_("Schedule a meeting"), panel=panel)


def meeting_detail(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    panel = meeting.panel
    attendances = meeting.attendances.select_related("member__user", "member__agency")
    context = {
        "meeting": meeting,
        "panel": panel,
        "manage": permissions.can_manage(request.user, panel),
        "attendances": list(attendances),
        "papers_visible": permissions.papers_visible(request.user, panel),
        "papers": list(meeting.papers.all()),
        "page_title": _("Panel meeting"),
    }
    return render(request, "panels/meeting_detail.html", context)


def meeting_attendance(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    members = selectors.members_of(meeting.panel)
    recorded = dict(meeting.attendances.values_list("member_id", "status"))
    form = AttendanceForm(request.POST or None, members=members, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        services.meeting_attendance_record(
            meeting=meeting, by=request.user, statuses=form.statuses(), request=request
        )
        messages.success(request, _("Attendance saved"))
        return redirect("panels:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=_("Record attendance"),
        panel=meeting.panel,
        back_url=reverse("panels:meeting", kwargs={"pk": meeting.pk}),
    )


def meeting_minutes(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        services.meeting_minutes_save(
            meeting=meeting,
            by=request.user,
            minutes=form.cleaned_data["minutes"],
            request=request,
        )
        messages.success(request, _("Minutes saved"))
        return redirect("panels:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=_("Minutes"),
        panel=meeting.panel,
        back_url=reverse("panels:meeting", kwargs={"pk": meeting.pk}),
    )


def meeting_calendar_file(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    response = HttpResponse(
        meeting_calendar(meeting, panel_title=meeting.panel.title, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition("meeting.ics")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def paper_add(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    form = PaperForm(request.POST or None, request.FILES or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_add(
                panel=panel,
                by=request.user,
                upload=data["document"],
                title=data["title"],
                paper_kind=data["paper_kind"],
                meeting=data["meeting"],
                request=request,
            )
        except ValidationError as error:
            # A file the storage refused belongs to the file field.
            form.add_error(None if hasattr(error, "error_dict") else "document", error)
        else:
            messages.success(request, _("Paper uploaded"))
            return redirect("panels:detail", pk=panel.pk)
    return form_page(request, form, title=_("Upload a paper"), panel=panel)


def _agency_name(user, panel) -> str:
    seat = permissions.seat(user, panel)
    if seat is not None:
        return seat.agency.name
    return str(user.organisation or _("HM Inspectorate of Probation"))


def paper_download(request, pk):
    paper = permissions.get_paper_for_user(request.user, pk)
    if not paper.downloadable:
        raise Http404
    audit_record(
        action=Action.PANEL_PAPER_DOWNLOADED,
        request=request,
        target=paper,
        details={"panel": paper.panel_id},
    )
    if not paper.is_pdf:
        return document_response(
            storage_name=paper.storage_name,
            download_name=paper.display_name,
            content_type=paper.content_type,
        )
    with default_storage.open(paper.storage_name, "rb") as handle:
        data = handle.read()
    text = stamp_text(
        name=request.user.full_name, agency=_agency_name(request.user, paper.panel)
    )
    response = HttpResponse(stamp_pdf(data, text), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(paper.display_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


def chronology(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk)
    seat = permissions.seat(request.user, panel)
    can_add = permissions.can_add_chronology(request.user, panel)
    form = (
        ChronologyForm(request.POST or None, panel=panel, seat=seat)
        if can_add
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.chronology_entry_add(
                panel=panel, by=request.user, request=request, **form.cleaned_data
            )
            messages.success(request, _("Added to the chronology"))
            return redirect("panels:chronology", pk=panel.pk)
    agencies = selectors.chronology_agencies(panel)
    filter_form = AgencyFilterForm(request.GET or None, agencies=agencies)
    agency = filter_form.cleaned_data["agency"] if filter_form.is_valid() else None
    context = {
        "panel": panel,
        "form": form,
        "filter_form": filter_form,
        "entries": selectors.chronology_of(
            panel, agency_id=agency.pk if agency else None
        ),
        "page_title": _("Chronology"),
    }
    return render(request, "panels/chronology.html", context)


def briefing(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk)
    job = services.briefing_request(panel=panel, by=request.user, request=request)
    return redirect("reports:job_detail", pk=job.pk)


def representation(request):
    rows = selectors.representation_across()
    context = {
        "rows": rows,
        "chart": representation_chart(rows),
        "page_title": _("Representation across panels"),
    }
    return render(request, "panels/representation.html", context)
