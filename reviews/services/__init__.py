"""Every write to reviews that matters. Import services from here."""

from reviews.services.allocation import (
    allocation_declare_conflict,
    allocation_refusal,
    review_allocate,
)
from reviews.services.intake import (
    Files,
    document_scan,
    documents_rescan,
    review_extension_add,
    review_receive,
    review_receive_many,
    review_version_add,
)
from reviews.services.sampling import (
    sample_entry_add,
    sample_entry_remove,
    sample_round_confirm,
    sample_round_discard,
    sample_round_draw,
)

__all__ = [
    "Files",
    "allocation_declare_conflict",
    "allocation_refusal",
    "document_scan",
    "documents_rescan",
    "review_allocate",
    "review_extension_add",
    "review_receive",
    "review_receive_many",
    "review_version_add",
    "sample_entry_add",
    "sample_entry_remove",
    "sample_round_confirm",
    "sample_round_discard",
    "sample_round_draw",
]
