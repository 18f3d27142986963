"""Learning items, actions, evidence and impact checks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import Action as Audit
from accounts.audit import audit_record
from panels import permissions, selectors, services
from panels.charts import progress_chart
from panels.forms import (
    ActionForm,
    BringFindingForm,
    DecisionForm,
    EvidenceForm,
    ImpactCheckForm,
    LearningForm,
    ProgressForm,
)
from panels.models import LearningItem
from panels.views.common import first_error, form_page
from ratings.models import Finding
from sfoqa.uploads import document_response


def _learning_form_page(request, panel, item=None):
    initial = {}
    if item is not None:
        initial = {
            **{name: getattr(item, name) for name in services.LEARNING_FIELDS},
            "level": item.level,
            "all_partners": item.all_partners,
            "source_meeting": item.source_meeting_id,
            "themes": list(item.themes.all()),
            "agencies": list(item.agencies.all()),
        }
    form = LearningForm(request.POST or None, initial=initial, panel=panel)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.learning_item_save(
                panel=panel,
                by=request.user,
                item=item,
                values=form.values(),
                themes=form.cleaned_data["themes"],
                agencies=form.cleaned_data["agencies"],
                request=request,
            )
        except ValidationError as error:
            first_error(form, None, error)
        else:
            messages.success(request, _("Draft learning saved"))
            return redirect("panels:learning_detail", pk=item.pk)
    title = _("Change the draft learning") if item else _("Add learning")
    return form_page(request, form, title=title, panel=panel)


def learning_add(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    return _learning_form_page(request, panel)


def learning_edit(request, pk):
    item = permissions.get_learning_item_for_user(request.user, pk, write=True)
    if item.status != LearningItem.Status.DRAFT:
        raise Http404
    return _learning_form_page(request, item.panel, item)


def learning_detail(request, pk):
    item = permissions.get_learning_item_for_user(request.user, pk)
    sees_panel = permissions.can_see(request.user, item.panel)
    context = {
        "item": item,
        "sees_panel": sees_panel,
        "manage": permissions.can_manage(request.user, item.panel),
        "timeline": selectors.learning_timeline(item, show_actions=sees_panel),
        "actions": list(item.actions.select_related("owner_agency", "owner"))
        if sees_panel
        else [],
        "is_staff": permissions.is_staff(request.user),
        "page_title": item.title,
    }
    return render(request, "panels/learning_detail.html", context)


def _learning_step(request, pk, service, done):
    item = permissions.get_learning_item_for_user(request.user, pk, write=True)
    try:
        service(item=item, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect("panels:learning_detail", pk=item.pk)


def learning_approve(request, pk):
    return _learning_step(
        request, pk, services.learning_item_approve, _("Learning approved")
    )


def learning_disseminate(request, pk):
    return _learning_step(
        request,
        pk,
        services.learning_item_disseminate,
        _("Learning disseminated: it is in the library and members have been told"),
    )


def finding_bring(request, pk):
    finding = Finding.objects.select_related("assessment").filter(pk=pk).first()
    if finding is None or finding.assessment.is_benchmark:
        raise Http404
    form = BringFindingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = services.learning_item_from_finding(
            finding=finding,
            panel=form.cleaned_data["panel"],
            by=request.user,
            request=request,
        )
        messages.success(
            request,
            _("Draft learning made from the finding: anonymise it, then approve"),
        )
        return redirect("panels:learning_edit", pk=item.pk)
    return form_page(
        request,
        form,
        title=_("Bring a finding into a panel"),
        back_url=reverse("ratings:findings", kwargs={"pk": finding.assessment_id}),
        intro=_("The learning keeps a link to the finding it came from."),
    )


def action_add(request, pk):
    panel = permissions.get_panel_for_user(request.user, pk, write=True)
    form = ActionForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                panel=panel, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            first_error(form, None, error)
        else:
            messages.success(request, _("Action agreed"))
            return redirect("panels:action_detail", pk=action.pk)
    return form_page(request, form, title=_("Agree an action"), panel=panel)


def action_detail(request, pk):
    action = permissions.get_action_for_user(request.user, pk)
    can_update = permissions.can_update_action(request.user, action)
    progress_form = None
    if can_update:
        progress_form = ProgressForm(initial={"progress": action.progress})
        progress_form.helper.form_action = reverse(
            "panels:action_update", kwargs={"pk": action.pk}
        )
    context = {
        "action": action,
        "panel": action.panel,
        "manage": permissions.can_manage(request.user, action.panel),
        "can_update": can_update,
        "progress_form": progress_form,
        **selectors.action_page(action),
        "page_title": _("Action"),
    }
    return render(request, "panels/action_detail.html", context)


def action_update(request, pk):
    action = permissions.get_action_for_user(request.user, pk, update=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.action_progress_update(
                action=action, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Progress saved"))
        return redirect("panels:action_detail", pk=action.pk)
    return form_page(
        request,
        form,
        title=_("Update progress"),
        panel=action.panel,
        back_url=reverse("panels:action_detail", kwargs={"pk": action.pk}),
    )


def action_evidence(request, pk):
    action = permissions.get_action_for_user(request.user, pk, update=True)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_evidence_submit(
                action=action,
                by=request.user,
                text=form.cleaned_data["text"],
                uploads=form.uploads(),
                request=request,
            )
        except ValidationError as error:
            first_error(form, None, error)
        else:
            messages.success(request, _("Evidence submitted: the chair will decide"))
            return redirect("panels:action_detail", pk=action.pk)
    return form_page(
        request,
        form,
        title=_("Submit evidence of completion"),
        panel=action.panel,
        back_url=reverse("panels:action_detail", kwargs={"pk": action.pk}),
    )


def action_decide(request, pk):
    action = permissions.get_action_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.action_evidence_accept(
                    action=action, by=request.user, request=request
                )
            else:
                services.action_evidence_return(
                    action=action,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
        except ValidationError as error:
            first_error(form, None, error)
        else:
            messages.success(request, _("Decision saved"))
            return redirect("panels:action_detail", pk=action.pk)
    return form_page(
        request,
        form,
        title=_("Decide on the evidence"),
        panel=action.panel,
        back_url=reverse("panels:action_detail", kwargs={"pk": action.pk}),
    )


def evidence_file(request, pk):
    file = permissions.get_evidence_file_for_user(request.user, pk)
    if not file.downloadable:
        raise Http404
    audit_record(action=Audit.PANEL_EVIDENCE_DOWNLOADED, request=request, target=file)
    return document_response(
        storage_name=file.storage_name,
        download_name=file.display_name,
        content_type=file.content_type,
    )


def impact_check(request, pk):
    check = permissions.get_impact_check_for_user(request.user, pk)
    can_answer = (
        permissions.can_update_action(request.user, check.action)
        and not check.is_answered
        and check.is_due
    )
    form = ImpactCheckForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.impact_check_answer(
                check=check, by=request.user, request=request, **form.cleaned_data
            )
            messages.success(request, _("Impact check answered"))
            return redirect("panels:action_detail", pk=check.action_id)
    context = {
        "check": check,
        "action": check.action,
        "panel": check.action.panel,
        "form": form,
        "page_title": _("Impact check"),
    }
    return render(request, "panels/impact_check.html", context)


def progress(request):
    groups = {
        "panel": (_("By panel"), selectors.progress_by("panel")),
        "agency": (_("By owner agency"), selectors.progress_by("agency")),
        "theme": (_("By theme"), selectors.progress_by("theme")),
    }
    context = {
        "groups": [
            {
                "key": key,
                "title": title,
                "rows": rows,
                "chart": progress_chart(rows, title),
            }
            for key, (title, rows) in groups.items()
        ],
        "page_title": _("Progress on panel actions"),
    }
    return render(request, "panels/progress.html", context)
