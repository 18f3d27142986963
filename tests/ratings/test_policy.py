import pytest
from django.core.exceptions import ValidationError

from ratings.models import Framework, OverallPolicy, Rating
from ratings.policy import suggest_overall, validate_bands

OUT, GOOD, RI, INAD = (
    Rating.OUTSTANDING,
    Rating.GOOD,
    Rating.REQUIRES_IMPROVEMENT,
    Rating.INADEQUATE,
)
Kind = OverallPolicy.Kind


@pytest.fixture
def default_policy(db):
    return OverallPolicy.objects.get(is_active=True)


def ratings(*values):
    return dict(enumerate(values, start=1))


@pytest.mark.django_db
def test_the_first_framework_holds_the_four_standards_with_prompts_and_descriptors():
    framework = Framework.objects.get(is_active=True)
    standards = list(framework.standards.order_by("number"))
    assert [s.name for s in standards] == [
        "Analysis of practice",
        "Overall judgements",
        "Learning",
        "Victims and their families",
    ]
    for standard in standards:
        assert standard.prompts.count() >= 4
        assert sorted(standard.descriptors.values_list("rating", flat=True)) == [
            0,
            1,
            2,
            3,
        ]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((INAD, INAD, INAD, INAD), INAD),  # total 0
        ((INAD, INAD, RI, RI), INAD),  # 2: top of the lowest band
        ((INAD, RI, RI, RI), RI),  # 3
        ((GOOD, GOOD, RI, RI), RI),  # 6
        ((GOOD, GOOD, GOOD, RI), GOOD),  # 7
        ((OUT, GOOD, GOOD, OUT), GOOD),  # 10
        ((OUT, OUT, OUT, GOOD), OUT),  # 11
        ((OUT, OUT, OUT, OUT), OUT),  # 12
    ],
)
def test_sum_and_band_uses_the_default_bands(default_policy, scores, expected):
    assert default_policy.kind == Kind.SUM_AND_BAND
    assert suggest_overall(default_policy, ratings(*scores)) == expected


def test_a_limiting_rule_caps_the_overall_at_the_chosen_standard(default_policy):
    policy = OverallPolicy(
        version=2, kind=Kind.LIMITING, bands=default_policy.bands, limiting_standard=1
    )
    assert (
        suggest_overall(policy, ratings(RI, OUT, OUT, OUT)) == RI
    )  # total 10 bands Good
    assert (
        suggest_overall(policy, ratings(OUT, GOOD, GOOD, GOOD)) == GOOD
    )  # cap above band
    assert suggest_overall(policy, ratings(OUT, OUT, OUT, OUT)) == OUT


def test_judgement_suggests_nothing():
    policy = OverallPolicy(version=3, kind=Kind.JUDGEMENT)
    assert suggest_overall(policy, ratings(OUT, OUT, OUT, OUT)) is None


def test_valid_bands_cover_every_total_once(default_policy):
    validate_bands(default_policy.bands, standards=4)


@pytest.mark.parametrize(
    "bands",
    [
        [{"min": 0, "max": 5, "rating": 0}, {"min": 7, "max": 12, "rating": 2}],  # gap
        [
            {"min": 0, "max": 6, "rating": 0},
            {"min": 6, "max": 12, "rating": 2},
        ],  # overlap
        [{"min": 0, "max": 11, "rating": 1}],  # short of 12
        [{"min": 0, "max": 12, "rating": 7}],  # not a rating
        [{"min": 1, "max": 12, "rating": 2}],  # misses 0
    ],
)
def test_bad_bands_are_refused(bands):
    with pytest.raises(ValidationError):
        validate_bands(bands, standards=4)
