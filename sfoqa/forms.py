"""GOV.UK form rendering in one place: every form gets its layout here."""

from datetime import date

from crispy_forms.layout import LayoutObject
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sfoqa import fields
from sfoqa.dates import format_date, uk_today
from sfoqa.wording import number_text


class GovUKFormMixin:
    """Give a form a GOV.UK layout with one submit button that says what it does."""

    submit_label = _("Continue")
    form_method = "post"
    label_size = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = self.form_method
        # GOV.UK error summaries, not the browser's own pop-ups.
        self.helper.attrs = {"novalidate": ""}
        if self.label_size:
            self.helper.label_size = self.label_size
            self.helper.legend_size = self.label_size
        self.helper.add_input(Submit("submit", self.submit_label))
        for field in self.fields.values():
            _no_dashes(field)


def too_long_message(name, limit: int):
    """GOV.UK's message for text over its character count."""
    return format_lazy(
        _("{name} must be {limit} characters or fewer"),
        name=name,
        limit=number_text(limit),
    )


class CharacterCount(LayoutObject):
    """A textarea as the GOV.UK character count, written in one pass
    (sfoqa.fields), its label the size the form's helper gives."""

    def __init__(self, name: str, *, rows: int = 5):
        self.fields = [name]
        self.rows = rows

    def render(self, form, context, template_pack=None, **kwargs):
        form.rendered_fields.update(self.fields)
        size = context.get("label_size", "")
        return fields.character_count(form[self.fields[0]], size, rows=self.rows)


def with_character_counts(form) -> None:
    """Give every textarea of the form that has a max_length the character
    count; a form without a layout is given one of all its fields."""
    if form.helper.layout is None:
        form.helper.layout = Layout(*form.fields)
    _count_characters_in(form, form.helper.layout)


def _count_characters_in(form, container) -> None:
    for attribute in ("fields", "choices"):  # choices: ConditionalRadios
        items = getattr(container, attribute, None)
        if not isinstance(items, list) or isinstance(container, Field | CharacterCount):
            continue
        for position, item in enumerate(items):
            if not isinstance(item, str):
                _count_characters_in(form, item)
            elif _is_long_text(form.fields.get(item)):
                rows = form.fields[item].widget.attrs.get("rows", 5)
                items[position] = CharacterCount(item, rows=rows)


def _is_long_text(field) -> bool:
    return isinstance(getattr(field, "widget", None), forms.Textarea) and bool(
        getattr(field, "max_length", None)
    )


BLANK = "---------"


def _no_dashes(field) -> None:
    """Django's "---------" choice: no radio for it; a select asks instead."""
    radios = isinstance(field.widget, forms.RadioSelect)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == BLANK:
            field.empty_label = None if radios else _("Choose one")
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        # Django's dashes are a plain string: a translated label, not yet
        # translated, is not compared (comparing would translate it).
        if any(type(label) is str and label == BLANK for _value, label in choices):
            field.choices = [
                (value, _("Choose one") if label == BLANK else label)
                for value, label in choices
                if not (radios and label == BLANK)
            ]


class GovUKFilterMixin(GovUKFormMixin):
    """A GET form that filters a list."""

    form_method = "get"
    submit_label = _("Apply filters")
    label_size = Size.SMALL

    # Fields that order the list rather than filter it: never shown as tags.
    not_filters = ("sort",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_show_errors = True
        self.helper.disable_csrf = True

    def selected_filters(self, query) -> list[dict]:
        """
        The filters in use, for MoJ's selected-filter tags: a heading per field
        and, per value, its text and the address of the list without it.
        """
        if not (self.is_bound and self.is_valid()):
            return []
        selected = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if name in self.not_filters or value in (None, "", [], False):
                continue
            many = isinstance(value, list | tuple) or hasattr(value, "model")
            values = list(value) if many else [value]
            if not values:
                continue
            items = [
                {
                    "text": _filter_text(field, one),
                    "href": _query_without(query, self[name], one, len(values)),
                }
                for one in values
            ]
            selected.append({"heading": field.label, "items": items})
        return selected


def _filter_text(field, value) -> str:
    if isinstance(field, forms.BooleanField):
        return str(_("Yes"))
    if isinstance(value, date):
        return format_date(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def _query_without(query, bound_field, value, count: int) -> str:
    """This list's address without one filter value (and on its first page)."""
    kept = query.copy()
    for key in ("cursor", "after", "before", "page"):
        kept.pop(key, None)
    name = bound_field.html_name
    if isinstance(bound_field.field.widget, forms.MultiWidget):
        for index in range(len(bound_field.field.widget.widgets)):
            kept.pop(f"{name}_{index}", None)
    elif count > 1:
        to_field = getattr(bound_field.field, "to_field_name", None) or "pk"
        key = getattr(value, to_field, value)
        kept.setlist(name, [v for v in kept.getlist(name) if v != str(key)])
    else:
        kept.pop(name, None)
    encoded = kept.urlencode()
    return f"?{encoded}" if encoded else "?"


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
