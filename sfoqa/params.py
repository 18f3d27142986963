"""Whole numbers from query strings, posted forms and URL parts, read one way.

Anything a browser sends may be tampered with: a number that is missing,
not a number, or too big for the database is never allowed to reach a query.
"""

import re

from django.core.exceptions import BadRequest

# The largest value a 64-bit database integer (or LIMIT and OFFSET) holds.
LARGEST = 2**63 - 1

# ASCII digits only: int() would also take "1_000", " 7 " and Arabic-Indic
# digits, and the length cap stops a huge string being parsed at all.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}", re.ASCII)


def whole_number(
    value, *, lowest: int = -LARGEST, highest: int = LARGEST
) -> int | None:
    """`value` as an int between `lowest` and `highest`, or None if it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if lowest <= number <= highest else None


def int_param(
    data, name: str, *, default: int, lowest: int = -LARGEST, highest: int = LARGEST
) -> int:
    """A filter's number from a query string; the default if it is missing or bad."""
    number = whole_number(data.get(name), lowest=lowest, highest=highest)
    return default if number is None else number


def required_int(data, name: str, *, lowest: int = 0, highest: int = LARGEST) -> int:
    """A number a page always sends (a hidden field): a 400 if it is missing or bad."""
    number = whole_number(data.get(name), lowest=lowest, highest=highest)
    if number is None:
        raise BadRequest(f"{name} is not a whole number")
    return number
