"""The public pages: the listing, a consultation, its documents, responding online."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record, client_ip
from consultations import selectors, services
from consultations.forms import (
    ResponseForm,
)
from consultations.models import Consultation, Document, Status
from consultations.permissions import (
    get_document_for_user,
    get_public_consultation,
)
from sfoqa.uploads import document_response

logger = logging.getLogger(__name__)

# Public pages.


def consultation_list(request):
    sections = selectors.public_listing()
    context = {
        "page_title": _("Consultations"),
        "open": list(sections["open"]),
        "forthcoming": list(sections["forthcoming"]),
        "closed": list(sections["closed"]),
    }
    return render(request, "consultations/consultation_list.html", context)


def page_context(consultation: Consultation) -> dict:
    documents = list(consultation.documents.all())
    return {
        "consultation": consultation,
        "status": consultation.current_status,
        "documents": [d for d in documents if d.kind == Document.Kind.CONSULTATION],
        "response_documents": [
            d for d in documents if d.kind == Document.Kind.RESPONSE
        ],
        "response_sentence": selectors.response_count_sentence(
            selectors.response_counts(consultation)
        ),
        "page_title": consultation.title,
    }


def consultation_detail(request, slug):
    consultation = get_public_consultation(slug, page=True)
    return render(
        request, "consultations/consultation_detail.html", page_context(consultation)
    )


def document_download(request, pk):
    document = get_document_for_user(request.user, pk)
    audit_record(
        action=Action.CONSULTATION_DOCUMENT_DOWNLOADED,
        request=request,
        target=document,
        details={"consultation": document.consultation_id},
    )
    name = slugify(document.title)[:80] or "document"
    return document_response(
        storage_name=document.storage_name,
        download_name=f"{name}.{document.file_type}",
        content_type=document.content_type,
    )


# Responding online: the form, check your answers, sent.


def _session_key(consultation) -> str:
    return f"consultation_response_{consultation.pk}"


def _online_consultation(slug) -> Consultation:
    consultation = get_public_consultation(slug)
    if not consultation.accepts_online:
        raise Http404
    return consultation


def answer_rows(consultation, saved: dict) -> list[dict]:
    answers = saved.get("answers", {})
    rows = []
    for question in selectors.questions_for(consultation):
        answer = answers.get(str(question.pk)) or []
        rows.append(
            {
                "question": question,
                "answer": answer if isinstance(answer, list) else [answer],
                "field": question.field_name,
            }
        )
    return rows


def _closed_page(request, consultation, saved):
    context = {
        "consultation": consultation,
        "rows": answer_rows(consultation, saved) if saved else [],
        "page_title": _("This consultation is not open"),
    }
    return render(request, "consultations/respond_closed.html", context)


def respond(request, slug):
    consultation = _online_consultation(slug)
    saved = request.session.get(_session_key(consultation), {})
    if consultation.current_status != Status.OPEN:
        return _closed_page(request, consultation, saved)
    form = ResponseForm(
        data=request.POST or None,
        questions=selectors.questions_for(consultation),
        audiences=list(consultation.audiences.all()),
        initial=ResponseForm.initial_from_session(saved),
    )
    if request.method == "POST" and form.is_valid():
        request.session[_session_key(consultation)] = form.to_session()
        return redirect("consultations:respond_check", slug=slug)
    context = {
        "consultation": consultation,
        "form": form,
        "page_title": _("Respond to the consultation"),
    }
    return render(request, "consultations/respond.html", context)


def _rate_limited(request) -> bool:
    """Count this address's responses in the hour; with the cache down, allow."""
    key = f"consultations:responses:{client_ip(request)}"
    try:
        cache.add(key, 0, timeout=3600)
        count = cache.incr(key)
    except Exception:
        count = None
    if count is None:  # the cache failed (django-redis answers None): fail open
        logger.warning("Consultation response rate limit skipped: cache unavailable")
        return False
    return count > settings.CONSULTATION_RESPONSES_PER_HOUR


def respond_check(request, slug):
    consultation = _online_consultation(slug)
    saved = request.session.get(_session_key(consultation))
    if not saved:
        return redirect("consultations:respond", slug=slug)
    audiences = {str(a.pk): a for a in consultation.audiences.all()}
    if request.method == "POST":
        if _rate_limited(request):
            context = {"consultation": consultation, "page_title": _("Try again later")}
            return render(
                request, "consultations/respond_limited.html", context, status=429
            )
        try:
            response = services.response_submit(
                consultation=consultation,
                audience=audiences.get(saved.get("audience") or ""),
                answers=saved["answers"],
                name=saved.get("name", ""),
                email=saved.get("email", ""),
                organisation=saved.get("organisation", ""),
                held_for_review=saved.get("held_for_review", False),
                request=request,
            )
        except services.ConsultationNotOpen:
            return _closed_page(request, consultation, saved)
        del request.session[_session_key(consultation)]
        request.session[f"{_session_key(consultation)}_sent"] = response.reference
        return redirect("consultations:respond_sent", slug=slug)
    context = {
        "consultation": consultation,
        "saved": saved,
        "audience": audiences.get(saved.get("audience") or ""),
        "rows": answer_rows(consultation, saved),
        "page_title": _("Check your answers before sending your response"),
    }
    return render(request, "consultations/respond_check.html", context)


def respond_sent(request, slug):
    consultation = _online_consultation(slug)
    context = {
        "consultation": consultation,
        "reference": request.session.get(f"{_session_key(consultation)}_sent"),
        "page_title": _("Response sent"),
    }
    return render(request, "consultations/respond_sent.html", context)
