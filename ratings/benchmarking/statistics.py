"""
Agreement statistics for benchmarking sessions: pure functions on plain
lists, no database.

Ratings come as `units`: one list per unit (a review rated in a session),
holding each rater's rating in the same rater order, None where a rater gave
none. Ratings are scores on the four-point scale (0 Inadequate to 3
Outstanding), treated as ordinal.
"""

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

SCALE = (0, 1, 2, 3)
RESAMPLES = 1000
SEED = 20210401
# Below this many reviews compared, a bootstrap interval says more about the
# resampling than about agreement (with one or two it collapses to a point).
MIN_INTERVAL_UNITS = 5

Units = Sequence[Sequence[int | None]]


@dataclass(frozen=True)
class Agreement:
    units: int  # units rated by at least two raters
    pairs: int  # pairs of raters rating the same unit
    exact: float | None  # share of those pairs giving the same rating
    within_one: float | None  # share within one point of each other
    alpha: float | None  # Krippendorff's alpha (ordinal); None: not defined
    low: float | None  # bootstrap 95% interval for alpha
    high: float | None

    @property
    def too_few_for_interval(self) -> bool:
        return self.units < MIN_INTERVAL_UNITS

    @property
    def min_interval_units(self) -> int:
        return MIN_INTERVAL_UNITS


def _pairable(units: Units) -> list[list[int]]:
    """Each unit's given ratings, for the units with at least two."""
    rated = ([r for r in unit if r is not None] for unit in units)
    return [unit for unit in rated if len(unit) >= 2]


def _pairs(units: Units):
    for unit in _pairable(units):
        yield from itertools.combinations(unit, 2)


def pairwise_agreement(units: Units, *, within: int = 0) -> float | None:
    """
    The share of pairs of raters of the same unit whose ratings differ by no
    more than `within` points, pooled over all units (pairwise percentage
    agreement). None when no unit has two ratings.
    """
    pairs = list(_pairs(units))
    if not pairs:
        return None
    return sum(abs(a - b) <= within for a, b in pairs) / len(pairs)


def _matrix(units: Units) -> np.ndarray:
    """Raters x units, NaN for a missing rating (the library's layout)."""
    return np.array(
        [[np.nan if r is None else r for r in unit] for unit in units], dtype=float
    ).T


def _alpha_of_matrix(matrix: np.ndarray) -> float | None:
    values = matrix[~np.isnan(matrix)]
    pairable = (np.sum(~np.isnan(matrix), axis=0) >= 2).any()
    if not pairable or len(np.unique(values)) < 2:
        return None  # no pair to compare, or no variation: alpha is 0/0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            value = krippendorff.alpha(
                reliability_data=matrix,
                level_of_measurement="ordinal",
                value_domain=SCALE,
            )
        except ValueError:
            return None
    return None if math.isnan(value) else float(value)


def alpha(units: Units) -> float | None:
    """
    Krippendorff's alpha for ordinal data (the `krippendorff` package).
    None where it is not defined: no unit with two ratings, or every rating
    the same, when the expected disagreement is zero.
    """
    if not units:
        return None
    return _alpha_of_matrix(_matrix(units))


def alpha_interval(
    units: Units, *, resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float] | None:
    """
    A percentile bootstrap 95% interval for alpha: resample the units with
    replacement, skip resamples where alpha is not defined. None when fewer
    than MIN_INTERVAL_UNITS units can be compared, when no resample gives a
    value, or when every resample gives the same one (a zero-width interval
    would claim a certainty the data cannot give).
    """
    pairable = [unit for unit in units if sum(r is not None for r in unit) >= 2]
    if len(pairable) < MIN_INTERVAL_UNITS:
        return None
    matrix = _matrix(pairable)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        picked = rng.integers(0, len(pairable), size=len(pairable))
        value = _alpha_of_matrix(matrix[:, picked])
        if value is not None:
            values.append(value)
    if not values:
        return None
    low, high = np.percentile(values, [2.5, 97.5])
    if math.isclose(low, high):
        return None
    return float(low), float(high)


def agreement(units: Units, **bootstrap) -> Agreement:
    """Every agreement figure for a set of units."""
    interval = alpha_interval(units, **bootstrap)
    return Agreement(
        units=len(_pairable(units)),
        pairs=sum(1 for _ in _pairs(units)),
        exact=pairwise_agreement(units),
        within_one=pairwise_agreement(units, within=1),
        alpha=alpha(units),
        low=interval[0] if interval else None,
        high=interval[1] if interval else None,
    )


def distance_from_consensus(
    ratings: Sequence[int | None], consensus: Sequence[int | None]
) -> float | None:
    """
    The mean absolute difference, in scale points, between a rater's ratings
    and the consensus, over the units where both exist.
    """
    pairs = [
        (r, c) for r, c in zip(ratings, consensus, strict=True) if None not in (r, c)
    ]
    if not pairs:
        return None
    return sum(abs(r - c) for r, c in pairs) / len(pairs)


def share_matching_consensus(
    ratings: Sequence[int | None], consensus: Sequence[int | None]
) -> float | None:
    """The share of units where the rater gave exactly the consensus rating."""
    pairs = [
        (r, c) for r, c in zip(ratings, consensus, strict=True) if None not in (r, c)
    ]
    if not pairs:
        return None
    return sum(r == c for r, c in pairs) / len(pairs)
