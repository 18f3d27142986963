"""Staff pages: consultations, their questions and documents."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from consultations import selectors, services
from consultations.forms import (
    ConsultationForm,
    DocumentForm,
    PublishResponseForm,
    QuestionForm,
)
from consultations.models import Question
from consultations.permissions import (
    can_change_consultations,
    get_consultation_for_user,
    get_document_for_user,
    get_question_for_user,
)
from consultations.views.public import page_context

# Staff pages: consultations.


def staff_list(request):
    consultations = list(selectors.consultations_for_staff())
    context = {
        "consultations": consultations,
        "overdue": [c for c in consultations if c.is_response_overdue],
        "can_change": can_change_consultations(request.user),
        "page_title": _("Manage consultations"),
    }
    return render(request, "consultations/staff_list.html", context)


def consultation_create(request):
    form = ConsultationForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                by=request.user, request=request, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Consultation created as a draft"))
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {"form": form, "page_title": _("Create a consultation")}
    return render(request, "consultations/consultation_form.html", context)


def consultation_edit(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    form = ConsultationForm(
        data=request.POST or None, initial=ConsultationForm.initial_for(consultation)
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                by=request.user,
                consultation=consultation,
                version=form.cleaned_data["version"] or 0,
                request=request,
                **form.service_fields(),
            )
        except services.ConsultationConflict:
            conflict = True
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved"))
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "conflict": conflict,
        "page_title": _("Change the consultation"),
    }
    return render(request, "consultations/consultation_form.html", context)


def staff_detail(request, pk):
    consultation = get_consultation_for_user(request.user, pk, page=True)
    context = {
        **page_context(consultation),
        "questions": list(consultation.questions.all()),
        "can_change": can_change_consultations(request.user),
        "page_title": consultation.title,
    }
    return render(request, "consultations/staff_detail.html", context)


def consultation_preview(request, pk):
    consultation = get_consultation_for_user(request.user, pk, page=True)
    context = {**page_context(consultation), "preview": True}
    return render(request, "consultations/consultation_detail.html", context)


def _confirm_action(request, consultation, service, *, template, title, done):
    error = None
    if request.method == "POST":
        try:
            service(by=request.user, consultation=consultation, request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, done)
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {"consultation": consultation, "error": error, "page_title": title}
    return render(request, template, context)


def consultation_publish(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    return _confirm_action(
        request,
        consultation,
        services.consultation_publish,
        template="consultations/consultation_publish.html",
        title=_("Publish the consultation"),
        done=_("Consultation published"),
    )


def response_publish(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    form = PublishResponseForm(
        data=request.POST or None, initial={"summary": consultation.response_summary}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_response_publish(
                by=request.user,
                consultation=consultation,
                summary=form.cleaned_data["summary"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Response published"))
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "page_title": _("Publish our response"),
    }
    return render(request, "consultations/response_publish.html", context)


# Staff pages: questions and documents.


def question_add(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    form = QuestionForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                by=request.user,
                consultation=consultation,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question added"))
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "page_title": _("Add a question"),
    }
    return render(request, "consultations/question_form.html", context)


def question_edit(request, pk):
    question = get_question_for_user(request.user, pk, write=True)
    form = QuestionForm(
        data=request.POST or None, initial=QuestionForm.initial_for(question)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                by=request.user, question=question, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question changed"))
            return redirect("consultations:staff_detail", pk=question.consultation_id)
    context = {
        "form": form,
        "consultation": question.consultation,
        "page_title": _("Change a question"),
    }
    return render(request, "consultations/question_form.html", context)


def question_delete(request, pk):
    question: Question = get_question_for_user(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        try:
            services.question_delete(
                by=request.user, question=question, request=request
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Question removed"))
            return redirect("consultations:staff_detail", pk=question.consultation_id)
    context = {
        "question": question,
        "consultation": question.consultation,
        "error": error,
        "page_title": _("Remove a question"),
    }
    return render(request, "consultations/question_delete.html", context)


def document_add(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    form = DocumentForm(data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                by=request.user,
                consultation=consultation,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            messages.success(request, _("Document uploaded"))
            return redirect("consultations:staff_detail", pk=consultation.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "page_title": _("Upload a document"),
    }
    return render(request, "consultations/document_form.html", context)


def document_remove(request, pk):
    document = get_document_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.document_remove(by=request.user, document=document, request=request)
        messages.success(request, _("Document removed"))
        return redirect("consultations:staff_detail", pk=document.consultation_id)
    context = {
        "document": document,
        "consultation": document.consultation,
        "page_title": _("Remove a document"),
    }
    return render(request, "consultations/document_remove.html", context)
