from reviews.forms.intake import (
    BulkUploadForm,
    ExtensionForm,
    ReviewDataForm,
    ReviewForm,
    VersionForm,
)
from reviews.forms.work import (
    AddToSampleForm,
    AllocationForm,
    ConflictForm,
    RemoveFromSampleForm,
    ReviewFilterForm,
    SampleRoundConfirmForm,
    SampleRoundDiscardForm,
    SampleRoundForm,
)

__all__ = [
    "AddToSampleForm",
    "AllocationForm",
    "BulkUploadForm",
    "ConflictForm",
    "ExtensionForm",
    "RemoveFromSampleForm",
    "ReviewDataForm",
    "ReviewFilterForm",
    "ReviewForm",
    "SampleRoundConfirmForm",
    "SampleRoundDiscardForm",
    "SampleRoundForm",
    "VersionForm",
]
