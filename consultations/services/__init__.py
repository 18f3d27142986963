"""Every write to consultations, responses included."""

from consultations.services.consultations import (
    ConsultationConflict,
    consultation_create,
    consultation_publish,
    consultation_response_publish,
    consultation_update,
    document_add,
    document_remove,
    question_add,
    question_delete,
    question_update,
)
from consultations.services.responses import (
    ConsultationNotOpen,
    new_reference,
    response_accept,
    response_record,
    response_set_themes,
    response_submit,
    responses_apply_retention,
    theme_add,
    theme_change,
)

__all__ = [
    "ConsultationConflict",
    "ConsultationNotOpen",
    "consultation_create",
    "consultation_publish",
    "consultation_response_publish",
    "consultation_update",
    "document_add",
    "document_remove",
    "new_reference",
    "question_add",
    "question_delete",
    "question_update",
    "response_accept",
    "response_record",
    "response_set_themes",
    "response_submit",
    "responses_apply_retention",
    "theme_add",
    "theme_change",
]
