"""
The shared theme taxonomy as consultations see it: (slug, name) pairs that
a consultation theme may name. The taxonomy lives in `ratings`, a layer
above, so consultations never import it: the app that reads both registers
the provider at start-up (as apps register report kinds with the pipeline),
and a consultation theme keeps only the slug.
"""

from collections.abc import Callable, Iterable

_providers: list[Callable[[], Iterable[tuple[str, str]]]] = []


def taxonomy_register(provider: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Offer `provider()`'s (slug, name) pairs as the shared themes."""
    _providers[:] = [provider]


def taxonomy_choices() -> list[tuple[str, str]]:
    """The shared themes, read now; none when nothing provides them."""
    return [pair for provider in _providers for pair in provider()]
