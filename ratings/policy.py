"""What an overall-rating policy suggests for a set of standard ratings."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ratings.models import OverallPolicy, Rating

Kind = OverallPolicy.Kind


def band_for(total: int, bands: Sequence[Mapping]) -> int:
    """The rating whose band holds `total`."""
    for band in bands:
        if band["min"] <= total <= band["max"]:
            return band["rating"]
    raise ValueError(f"no band holds the total {total}")


def suggest_overall(policy: OverallPolicy, ratings: Mapping[int, int]) -> int | None:
    """
    The overall rating the policy suggests, from ratings keyed by standard
    number; None when the policy leaves it to the inspector's judgement.
    """
    if policy.kind == Kind.JUDGEMENT:
        return None
    suggestion = band_for(sum(ratings.values()), policy.bands)
    if policy.kind == Kind.LIMITING:
        suggestion = min(suggestion, ratings[policy.limiting_standard])
    return suggestion


def validate_bands(bands: Sequence[Mapping], *, standards: int) -> None:
    """Bands must cover every total from 0 to 3 x standards once, in order."""
    highest = Rating.OUTSTANDING * standards
    expected = 0
    for band in sorted(bands, key=lambda b: b["min"]):
        if band["min"] != expected or band["max"] < band["min"]:
            raise ValidationError(
                _("The bands must run from 0 to %(max)s with no gaps or overlaps")
                % {"max": highest}
            )
        if band["rating"] not in Rating.values:
            raise ValidationError(_("Each band needs a rating on the four-point scale"))
        expected = band["max"] + 1
    if expected != highest + 1:
        raise ValidationError(
            _("The bands must run from 0 to %(max)s with no gaps or overlaps")
            % {"max": highest}
        )
