"""
GOV.UK form fields written in one pass, as sfoqa.tables writes tables: radios
(govuk/components/radios, each choice with its hint where it has one), text
inputs (govuk/components/text-input) and textareas with the character count
(govuk/components/character-count), in the markup crispy-forms-gds gives
them.

Through crispy-forms-gds each field is a chain of templates, and each radio
another: a form with many fields (a standard's prompts, every long text) spent
most of its page's time there. Here each field is a `str.format` string over
values escaped once. The markup of these fields is written only in this
module; tests compare it with crispy-forms-gds's own.
"""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sfoqa.tables import escaped
from sfoqa.wording import number_text

_ERROR = (
    '<span id="{id}" class="govuk-error-message">'
    '<span class="govuk-visually-hidden">Error:</span> {text}</span>'
)
_HINT = '<div id="{id}" class="govuk-hint">{text}</div>'
_FIELDSET = (
    '<fieldset class="govuk-fieldset"> <legend class="govuk-fieldset__legend'
    ' {size}">{legend}</legend>\n{fields}\n</fieldset>'
)
_RADIOS = (
    '<div id="div_{id}" class="govuk-form-group{group_error}">'
    ' <fieldset class="govuk-fieldset"{described}>'
    ' <legend class="govuk-fieldset__legend {size}">{label}</legend>\n'
    '{hint}{errors}\n<div class="govuk-radios">{items} </div> </fieldset> </div>\n'
)
_RADIO = (
    ' <div class="govuk-radios__item"> <input type="radio" name="{name}"'
    ' class="govuk-radios__input" id="{id}" value="{value}"{checked}{described}>'
    ' <label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    "{hint} </div>"
)
_RADIO_HINT = (
    ' <span id="{id}_hint" class="govuk-hint govuk-radios__hint">{text}</span>'
)
_TEXT_INPUT = (
    '<div id="div_{id}" class="govuk-form-group{group_error}">'
    ' <label for="{id}" class="govuk-label{size}">{label}</label>\n'
    '{hint}{errors}\n<input type="text" name="{name}"{attrs}> </div>\n'
)
_CHARACTER_COUNT = (
    '<div id="div_{id}" class="govuk-form-group govuk-character-count{group_error}"'
    ' data-module="govuk-character-count" data-maxlength="{limit}">'
    ' <label for="{id}" class="govuk-label{size}">{label}</label>\n'
    '{hint}{errors}\n<textarea name="{name}"{attrs}>\n{value}</textarea>\n'
    '<div id="{id}-info" class="govuk-hint govuk-character-count__message">'
    "{message}</div> </div>\n"
)
_GROUP_ERROR = " govuk-form-group--error"


def _widget_attributes(bound, attrs: dict) -> str:
    """The field's widget's HTML attributes, in the order given, with those
    Django adds (required, disabled, aria-invalid), as its widgets write
    them: True is an attribute without a value, False and None are left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escaped(value)}"'
        for name, value in bound.build_widget_attrs(attrs).items()
        if value is not None and value is not False
    )


def _hint_and_errors(bound, *, count: bool = False) -> tuple[str, str, str]:
    """A field's hint and errors, and the ids that describe it, as
    crispy-forms-gds gives them: the hint, the character count's message
    (where it has one), then the errors; a field with errors and no hint is
    described by its errors alone."""
    ids = []
    hint = ""
    if bound.help_text:
        hint_id = f"{bound.auto_id}_hint"
        hint = _HINT.format(id=hint_id, text=escaped(bound.help_text))
        ids.append(hint_id)
    if count and (hint or not bound.errors):
        ids.append(f"{bound.auto_id}-info")
    errors = []
    for n, text in enumerate(bound.errors, start=1):
        error_id = f"{bound.auto_id}_{n}_error"
        errors.append(_ERROR.format(id=error_id, text=escaped(text)))
        ids.append(error_id)
    return hint, "".join(errors), " ".join(ids)


def fieldset(legend, size: str, fields: list[str]) -> SafeString:
    """Fields written here, grouped under a legend of the size given."""
    html = _FIELDSET.format(size=size, legend=escaped(legend), fields="".join(fields))
    return mark_safe(html)  # noqa: S308 - every value is escaped or ours


def radios(bound, size: str) -> SafeString:
    """A radio field, its legend of the size given; each choice with its hint
    where it has one (crispy_forms_gds.choices.Choice)."""
    hint, errors, described = _hint_and_errors(bound)
    name = escaped(bound.html_name)
    chosen = str(bound.value())
    items = []
    for position, choice in enumerate(bound.field.choices, start=1):
        value, label = choice
        choice_id = f"id_{name}_{position}"
        choice_described = choice_hint = ""
        if text := getattr(choice, "hint", ""):
            choice_described = f' aria-describedby="{choice_id}_hint"'
            choice_hint = _RADIO_HINT.format(id=choice_id, text=escaped(text))
        items.append(
            _RADIO.format(
                name=name,
                id=choice_id,
                value=escaped(value),
                checked=' checked="checked"' if str(value) == chosen else "",
                described=choice_described,
                label=escaped(label),
                hint=choice_hint,
            )
        )
    html = _RADIOS.format(
        id=escaped(bound.auto_id),
        group_error=_GROUP_ERROR if errors else "",
        described=f' aria-describedby="{escaped(described)}"' if described else "",
        size=size,
        label=escaped(bound.label),
        hint=hint,
        errors=errors,
        items="".join(items),
    )
    return mark_safe(html)  # noqa: S308 - every value is escaped or ours


def text_input(bound, size: str) -> SafeString:
    """A text input, written as Django's TextInput writes it, its label of
    the size given."""
    hint, errors, described = _hint_and_errors(bound)
    widget = bound.field.widget
    attrs = {
        "value": widget.format_value(bound.value()),
        **widget.attrs,  # maxlength, from the field
        "class": "govuk-input govuk-input--error" if errors else "govuk-input",
        "aria-describedby": described or None,
        "id": bound.auto_id,
    }
    html = _TEXT_INPUT.format(
        id=escaped(bound.auto_id),
        group_error=_GROUP_ERROR if errors else "",
        size=f" {size}" if size else "",
        label=escaped(bound.label),
        hint=hint,
        errors=errors,
        name=escaped(bound.html_name),
        attrs=_widget_attributes(bound, attrs),
    )
    return mark_safe(html)  # noqa: S308 - every value is escaped or ours


def character_count(bound, size: str, *, rows: int) -> SafeString:
    """A textarea with the character count, its limit the field's max_length,
    its attributes as Django's Textarea gives them with crispy-forms-gds's
    classes. It has no maxlength: that would cut pasted text short without a
    word, where the count says how far over the text is."""
    hint, errors, described = _hint_and_errors(bound, count=True)
    widget = bound.field.widget
    classes = "govuk-textarea govuk-js-character-count"
    if errors:
        classes += " govuk-input--error"  # crispy-forms-gds's class for it
    attrs = {
        **widget.attrs,
        "rows": rows,
        "class": classes,
        "aria-describedby": described,
        "id": bound.auto_id,
    }
    attrs.pop("maxlength", None)
    value = widget.format_value(bound.value())
    limit = bound.field.max_length
    html = _CHARACTER_COUNT.format(
        id=escaped(bound.auto_id),
        group_error=_GROUP_ERROR if errors else "",
        limit=int(limit),
        size=f" {size}" if size else "",
        label=escaped(bound.label),
        hint=hint,
        errors=errors,
        name=escaped(bound.html_name),
        attrs=_widget_attributes(bound, attrs),
        value=escaped(value),
        message=escaped(
            gettext("You can enter up to %(limit)s characters")
            % {"limit": number_text(limit)}
        ),
    )
    return mark_safe(html)  # noqa: S308 - every value is escaped or ours
