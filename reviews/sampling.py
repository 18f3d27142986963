"""The arithmetic of a sample round, apart from the database so it can be
checked by hand: quotas by largest remainder, and a seeded draw."""

import random
from collections.abc import Hashable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def sample_size(population: int, percent: int) -> int:
    """`percent` of `population`, rounded half up (20% of 7 is 1, of 8 is 2)."""
    exact = Decimal(population) * Decimal(percent) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def largest_remainder(
    populations: Mapping[Hashable, int], percent: int
) -> dict[Hashable, int]:
    """Share the sample among strata in proportion to their populations.

    Each stratum gets the whole part of its exact quota; the places left go
    to the largest fractional remainders. Ties go to the larger population,
    then to the stratum that sorts first, so the result never depends on
    dictionary order.
    """
    total_population = sum(populations.values())
    if not total_population:
        return dict.fromkeys(populations, 0)
    total = sample_size(total_population, percent)
    quotas = {
        key: Fraction(size * total, total_population)
        for key, size in populations.items()
    }
    shares = {key: int(quota) for key, quota in quotas.items()}
    left = total - sum(shares.values())
    order = sorted(
        populations,
        key=lambda key: (-(quotas[key] - shares[key]), -populations[key], key),
    )
    for key in order[:left]:
        shares[key] += 1
    return shares


def draw(
    members: Mapping[Hashable, Sequence[int]], shares: Mapping[Hashable, int], seed: int
) -> set[int]:
    """Pick `shares[key]` ids from each stratum with one generator seeded by
    `seed`, strata in sorted order and ids ascending, so the same population
    and seed always give the same sample."""
    generator = random.Random(seed)
    chosen: set[int] = set()
    for key in sorted(members):
        ids = sorted(members[key])
        chosen.update(generator.sample(ids, shares.get(key, 0)))
    return chosen


def new_seed() -> int:
    """A fresh seed for a round, recorded with it."""
    return random.SystemRandom().randrange(1, 2**31)
