"""Who may see and change consultations, documents and responses."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from consultations import selectors
from consultations.models import Consultation, Document, Question, Response, Theme

STAFF = (Role.LEAD_INSPECTOR, Role.ADMIN)


def can_see_staff_pages(user) -> bool:
    return user.is_authenticated and user.has_role(*STAFF)


def can_change_consultations(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def _check(user, *, write: bool) -> None:
    if not can_see_staff_pages(user):
        raise Http404
    if write and not can_change_consultations(user):
        raise PermissionDenied


def get_consultation_for_user(
    user, pk: int, *, write: bool = False, page: bool = False
) -> Consultation:
    """A consultation for staff: 404 for anyone else, 403 to change without rights."""
    _check(user, write=write)
    consultations = Consultation.objects.with_status().filter(pk=pk)
    if page:
        consultations = selectors.staff_consultation(consultations)
    consultation = consultations.first()
    if consultation is None:
        raise Http404
    return consultation


def get_public_consultation(slug: str, *, page: bool = False) -> Consultation:
    """A consultation the public may see: published, so never a draft."""
    consultations = Consultation.objects.public().with_status().filter(slug=slug)
    if page:
        consultations = selectors.consultation_page(consultations)
    consultation = consultations.first()
    if consultation is None:
        raise Http404
    return consultation


def get_question_for_user(user, pk: int, *, write: bool = False) -> Question:
    _check(user, write=write)
    question = Question.objects.select_related("consultation").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def get_theme_for_user(user, pk: int, *, write: bool = False) -> Theme:
    _check(user, write=write)
    theme = Theme.objects.select_related("consultation").filter(pk=pk).first()
    if theme is None:
        raise Http404
    return theme


def get_response_for_user(user, pk: int, *, write: bool = False) -> Response:
    _check(user, write=write)
    response = (
        Response.objects.select_related("consultation", "audience", "recorded_by")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404
    return response


def get_document_for_user(user, pk: int, *, write: bool = False) -> Document:
    """
    A document: staff may open any; the public only those of a published
    consultation, and a response document only once the response is out.
    """
    document = Document.objects.select_related("consultation").filter(pk=pk).first()
    if document is None:
        raise Http404
    if write:
        _check(user, write=True)
    if can_see_staff_pages(user):
        return document
    consultation = document.consultation
    if consultation.published_at is None:
        raise Http404
    if (
        document.kind == Document.Kind.RESPONSE
        and consultation.response_published_at is None
    ):
        raise Http404
    return document
