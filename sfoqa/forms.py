"""GOV.UK form rendering in one place: every form gets its layout here."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from sfoqa.dates import uk_today


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


def _example_hint(past: bool, future: bool) -> str:
    # GOV.UK's example for dates in the past; otherwise one that could be.
    year = 2007 if past else uk_today().year + (1 if future else 0)
    return _("For example, 27 3 %(year)s") % {"year": year}


class GovUKDateField(DateInputField):
    """
    The service's one date input: day, month and year boxes with GOV.UK's
    messages, each naming the date, and the error marked on the part that is
    wrong. `past` and `future` refuse dates after or before today (UK time).
    A range that depends on other data (such as an open period) is checked in
    the form, with `add_error` on this field.
    """

    PARTS = ((0, _("day")), (1, _("month")), (2, _("year")))

    def __init__(
        self,
        *,
        label,
        required=True,
        help_text=None,
        error_label=None,
        required_message=None,
        past=False,
        future=False,
        **kwargs,
    ):
        if help_text is None:
            help_text = lazy(_example_hint, str)(past, future)
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)
        self.require_all_fields = False
        self.error_label = error_label or label
        self.required_message = required_message
        self.past = past
        self.future = future

    def _name(self) -> str:
        return str(self.error_label)

    def _enter_message(self) -> str:
        name = self._name()
        return _("Enter %(name)s") % {"name": name[:1].lower() + name[1:]}

    def _refuse(self, message, parts=()):
        # Parts named: only they are marked. None named: the whole date is.
        for index in parts:
            self.fields[index].widget.errors = [message]
        raise ValidationError(message)

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        parts = [*(value or [])][:3]
        parts += [""] * (3 - len(parts))
        day, month, year = (str(part or "").strip() for part in parts)
        if not (day or month or year):
            if self.required:
                self._refuse(self.required_message or self._enter_message())
            return None
        return self._checked(self._to_date(day, month, year))

    def _to_date(self, day: str, month: str, year: str) -> date:
        texts = (day, month, year)
        missing = [index for index, _name in self.PARTS if not texts[index]]
        if missing:
            names = " and ".join(str(self.PARTS[index][1]) for index in missing)
            self._refuse(
                _("%(name)s must include a %(parts)s")
                % {"name": self._name(), "parts": names},
                missing,
            )
        not_numbers = [index for index in range(3) if not texts[index].isdigit()]
        if not_numbers:
            self._refuse(
                _("%(name)s must be a real date") % {"name": self._name()},
                not_numbers,
            )
        if len(year) != 4:
            self._refuse(_("Year must include 4 numbers"), [2])
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a day like 99999999999999999999
            wrong = [1] if not 1 <= int(month) <= 12 else [0]
            self._refuse(
                _("%(name)s must be a real date") % {"name": self._name()}, wrong
            )

    def _checked(self, value: date) -> date:
        today = uk_today()
        if self.past and value > today:
            self._refuse(
                _("%(name)s must be today or in the past") % {"name": self._name()}
            )
        if self.future and value < today:
            self._refuse(
                _("%(name)s must be today or in the future") % {"name": self._name()}
            )
        self.validate(value)
        self.run_validators(value)
        return value
