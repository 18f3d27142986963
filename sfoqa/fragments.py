"""
Parts of every page that are the same for every person (the footer, the
phase banner, the timeout warning): rendered once a process for each
language, not once a page. Nothing here can fail or go stale: the markup
depends only on the templates, the settings and the language.

`shown` does the same for a template that shows only the values it is given
(a role's counts on the home page): its markup is kept for each set of
values, which are the key, so it cannot show anything else.

`asset_url` is `{% static %}`'s address of a file, worked out once a process
for each file: it changes only when the service is deployed again (a new
manifest of the files' hashed names), which starts new processes.
"""

from functools import cache, lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sfoqa.memo import Memo

# Rendered where a fragment's form needs this request's CSRF token, which is
# put in its place on every page (letters only: escaping leaves it alone).
TOKEN_PLACEHOLDER = "csrftokenplaceholderforthisrequest"  # noqa: S105 - not a secret
# Django's word for the token of a page that no CSRF middleware served.
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 - not a secret


@cache
def _values() -> tuple:
    """What the fragments show from the settings (part of the memo's key),
    read again after a change of settings (a test's)."""
    return (
        ("service_contact_email", settings.SERVICE_CONTACT_EMAIL),
        # The server renews the expiry at most once a minute, so the page
        # counts from the earliest moment the session might end.
        (
            "session_idle_seconds",
            settings.SESSION_IDLE_SECONDS - settings.SESSION_RENEW_SECONDS,
        ),
        ("session_warning_seconds", settings.SESSION_WARNING_SECONDS),
    )


@lru_cache(maxsize=64)
def _render(name: str, language: str, prefix: str, values: tuple) -> str:
    return render_to_string(name, {"csrf_token": TOKEN_PLACEHOLDER, **dict(values)})


def _with_token(html: str, token: str) -> str:
    """Markup rendered with the placeholder, with this page's token in its
    place (none for a page that no CSRF middleware served)."""
    if TOKEN_PLACEHOLDER not in html:
        return html
    return html.replace(TOKEN_PLACEHOLDER, "" if token == NO_TOKEN else token)


def fixed_fragment(name: str, token: str = "") -> SafeString:
    """The template's markup for everyone, with this page's CSRF token."""
    html = _render(name, get_language(), get_script_prefix(), _values())
    html = _with_token(html, token)
    return mark_safe(html)  # noqa: S308 - our templates, rendered with no user data


@lru_cache(maxsize=64)
def _blank(form_class: type, action: str, language: str, prefix: str) -> str:
    from crispy_forms.utils import render_crispy_form

    form = form_class()
    form.helper.form_action = action
    return render_crispy_form(form, context={"csrf_token": TOKEN_PLACEHOLDER})


def blank_form(form_class: type, *, action: str, token: str) -> SafeString:
    """An empty form of `form_class` posting to `action`, with this page's
    CSRF token: rendered once a process for each address and language. Only
    for a form whose empty state depends on nothing else (no choices read
    from the database, no initial values of its own for each person)."""
    html = _blank(form_class, action, get_language(), get_script_prefix())
    return mark_safe(html.replace(TOKEN_PLACEHOLDER, token))  # noqa: S308 - our form, no user data


_shown = Memo(size=256)


def _frozen(value):
    """The value as something hashable that equals only an equal value."""
    if isinstance(value, dict):
        return (dict, tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value), tuple(_frozen(v) for v in value))
    # Anything else must be hashed by its value (TypeError if unhashable);
    # one hashed by its identity would never be found again.
    if type(value).__hash__ is object.__hash__:
        raise TypeError(f"{type(value).__name__} is hashed by identity")
    hash(value)
    return (type(value), value)


def shown(name: str, *, token: str | None = None, **values) -> SafeString:
    """The template's markup with only `values` in its context, rendered once
    a process for each set of values and language. The template sees no
    request or user: nothing but what the key holds. With `token` (the page's
    CSRF token), its forms carry that token, put in on every page as
    `fixed_fragment` puts it."""
    if token is None:
        return _shown_markup(name, values)
    if any(TOKEN_PLACEHOLDER in str(value) for value in values.values()):
        # A value that would be mistaken for the token's place: rendered
        # with the token itself, each time.
        html = render_to_string(name, {**values, "csrf_token": token})
        return mark_safe(html)  # noqa: S308 - a template's own output
    html = _shown_markup(name, {**values, "csrf_token": TOKEN_PLACEHOLDER})
    html = _with_token(html, token)
    return mark_safe(html)  # noqa: S308 - a template's own output, and a token


def _shown_markup(name: str, values: dict) -> SafeString:
    try:
        key = (name, get_language(), get_script_prefix(), _frozen(values))
    except TypeError:  # a value that cannot be a key: rendered each time
        return mark_safe(render_to_string(name, values))  # noqa: S308 - a template
    html = _shown.get(key)
    if html is None:
        html = render_to_string(name, values)
        _shown.put(key, html)
    return mark_safe(html)  # noqa: S308 - a template's own output


@lru_cache(maxsize=64)
def _asset_url(path: str, prefix: str) -> str:
    return static(path)


def asset_url(path: str) -> str:
    """`{% static path %}`'s address, once a process for each file."""
    return _asset_url(path, get_script_prefix())


_STATIC_SETTINGS = {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "INSTALLED_APPS"}


@receiver(setting_changed)
def _forget_settings(*, setting, **kwargs) -> None:
    """Where a test changes the settings the fragments show or the addresses
    come from."""
    _values.cache_clear()
    if setting in _STATIC_SETTINGS:
        _asset_url.cache_clear()
