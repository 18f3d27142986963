from consultations.forms.respond import ResponseForm
from consultations.forms.responses import (
    RecordResponseForm,
    ResponseFilterForm,
    ResponseThemesForm,
    ThemeChangeForm,
    ThemeForm,
)
from consultations.forms.staff import (
    ConsultationForm,
    DocumentForm,
    PublishResponseForm,
    QuestionForm,
)

__all__ = [
    "ConsultationForm",
    "DocumentForm",
    "PublishResponseForm",
    "QuestionForm",
    "RecordResponseForm",
    "ResponseFilterForm",
    "ResponseForm",
    "ResponseThemesForm",
    "ThemeChangeForm",
    "ThemeForm",
]
