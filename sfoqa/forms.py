"""GOV.UK form rendering in one place: every form gets its layout here."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django.utils.translation import gettext_lazy as _


class GovUKFormMixin:
    """Give a form a GOV.UK layout with one submit button that says what it does."""

    submit_label = _("Continue")
    form_method = "post"
    label_size = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = self.form_method
        if self.label_size:
            self.helper.label_size = self.label_size
            self.helper.legend_size = self.label_size
        self.helper.add_input(Submit("submit", self.submit_label))


class GovUKFilterMixin(GovUKFormMixin):
    """A GET form that filters a list."""

    form_method = "get"
    submit_label = _("Apply filters")
    label_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_show_errors = True
        self.helper.disable_csrf = True
