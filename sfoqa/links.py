"""
Addresses of the service's views, reversed once a process (per script
prefix) rather than once a use: a list of 50 rows links each row, and every
page's navigation links each section.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# A whole number no URL of the service holds, reversed in place of an id and
# then replaced by a format field.
_SENTINEL = 918273645


@lru_cache(maxsize=256)
def _url_format(prefix: str, name: str, kwarg: str) -> str:
    url = reverse(name, kwargs={kwarg: _SENTINEL})
    return url.replace(str(_SENTINEL), "{" + kwarg + "}")


def url_format(name: str, kwarg: str = "pk") -> str:
    """The URL of `name` with a format field for its one argument, reversed
    once a process (per script prefix), not once a row:
    `url_format("ratings:moderate").format(pk=7)`."""
    return _url_format(get_script_prefix(), name, kwarg)


@lru_cache(maxsize=256)
def _url(prefix: str, name: str) -> str:
    return reverse(name)


def url(name: str) -> str:
    """The URL of a view that takes no arguments, reversed once a process."""
    return _url(get_script_prefix(), name)
