"""
Two writers, one assessment: what each of them has for every field of a
form, the words that differ, and the second writer's choice for each field.
Nothing the first writer saved is replaced unless the second writer says so.
"""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext as _

MINE, THEIRS, MERGE = "mine", "theirs", "merge"
SKIPPED = ("lock_version",)


@dataclass(frozen=True)
class Difference:
    """One field whose two versions differ."""

    name: str
    label: str
    mine: list[str]
    theirs: list[str]
    # (words, differs) runs of each version, for marking what changed.
    mine_shown: list[tuple[str, bool]]
    theirs_shown: list[tuple[str, bool]]
    is_text: bool
    choice: str = ""
    merged: str = ""
    error: str = ""


def _strings(value) -> list[str]:
    """A stored or posted value as the strings a form would post."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value.replace("\r\n", "\n")]
    if isinstance(value, Model):
        return [str(value.pk)]
    if isinstance(value, list | tuple | set) or hasattr(value, "__iter__"):
        return sorted(item for v in value for item in _strings(v))
    return [str(value)]


def posted(data: QueryDict, form, name: str) -> list[str]:
    if getattr(form.fields[name].widget, "allow_multiple_selected", False):
        return _strings(data.getlist(name))
    return _strings(data.get(name, ""))


def _is_text(field) -> bool:
    return not getattr(field, "choices", None)


def _label(field, values: list[str]) -> str:
    if _is_text(field):
        return "".join(values)
    names = {str(value): str(label) for value, label in field.choices}
    return ", ".join(names.get(value, value) for value in values)


def _words(text: str) -> list[str]:
    """Words with the space after each, so spaces never match on their own."""
    return re.findall(r"\S+\s*|\s+", text)


def _marked(mine: str, theirs: str) -> tuple[list, list]:
    """Each text as runs of words, flagged where it differs from the other."""
    a, b = _words(mine), _words(theirs)
    mine_runs, their_runs = [], []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        differs = tag != "equal"
        _add(mine_runs, "".join(a[i1:i2]), differs)
        _add(their_runs, "".join(b[j1:j2]), differs)
    return mine_runs, their_runs


def _add(runs: list, text: str, differs: bool) -> None:
    """Add a run; a differing one is marked without its trailing space."""
    words = text.rstrip() if differs else text
    if words:
        runs.append((words, differs))
    if text[len(words) :]:
        runs.append((text[len(words) :], False))


def _difference(form, name, mine, theirs, **extra) -> Difference:
    field = form.fields[name]
    shown_mine, shown_theirs = _label(field, mine), _label(field, theirs)
    if _is_text(field):
        mine_shown, theirs_shown = _marked(shown_mine, shown_theirs)
    else:
        mine_shown = [(shown_mine, True)] if shown_mine else []
        theirs_shown = [(shown_theirs, True)] if shown_theirs else []
    return Difference(
        name=name,
        label=str(field.label),
        mine=mine,
        theirs=theirs,
        mine_shown=mine_shown,
        theirs_shown=theirs_shown,
        is_text=_is_text(field),
        **extra,
    )


def differences(form, data: QueryDict, theirs: dict | None) -> list[Difference]:
    """The fields where what was posted differs from what is saved now."""
    if theirs is None:  # a new row: nothing saved to overwrite
        return []
    found = []
    for name in form.fields:
        if name in SKIPPED:
            continue
        mine, saved = posted(data, form, name), _strings(theirs.get(name))
        if mine != saved:
            found.append(
                _difference(
                    form,
                    name,
                    mine,
                    saved,
                    choice=data.get(f"keep_{name}", ""),
                    merged=data.get(f"merged_{name}", ""),
                )
            )
    return found


def mine_fields(form, data: QueryDict) -> list[tuple[str, list[str]]]:
    """Every field as the writer posted it, to carry through the conflict page."""
    return [
        (name, posted(data, form, name)) for name in form.fields if name not in SKIPPED
    ]


def resolve(
    form, data: QueryDict, theirs: dict | None
) -> tuple[QueryDict, list[Difference]]:
    """
    Apply the writer's choice for each differing field: keep theirs, keep
    mine, or the merged text. Returns the data to save and the differences;
    a difference with an error still needs a choice.
    """
    resolved = data.copy()
    found = []
    for difference in differences(form, data, theirs):
        choice = difference.choice
        if choice == THEIRS:
            resolved.setlist(difference.name, difference.theirs)
        elif choice == MERGE and difference.is_text:
            resolved[difference.name] = difference.merged
        elif choice != MINE:
            difference = _difference(
                form,
                difference.name,
                difference.mine,
                difference.theirs,
                merged=difference.merged,
                error=_("Choose which version of %(field)s to keep")
                % {"field": difference.label.lower()},
            )
        found.append(difference)
    return resolved, found
