import pytest
from django.db.models import F

from accounts import demo as accounts_demo
from reviews import demo
from reviews.models import Allocation, Review, SampleRound

pytestmark = pytest.mark.django_db


def test_the_demo_is_realistic_and_loads_once(reference_data, media_root):
    accounts_demo.seed_users()
    assert demo.seed_reviews() == 300
    assert demo.seed_reviews() == 300
    reviews = Review.objects.all()
    assert reviews.count() == 300
    murder = reviews.filter(offence_category__slug="murder").count() / 300
    rape = reviews.filter(offence_category__slug="rape").count() / 300
    extended = reviews.filter(due_date__gt=F("target_date")).count() / 300
    assert 0.28 < murder < 0.42 and 0.16 < rape < 0.30
    assert 0.70 < extended < 0.85
    assert reviews.values("region").distinct().count() == 12
    assert SampleRound.objects.get().status == SampleRound.Status.CONFIRMED
    mine = Allocation.objects.filter(inspector__email="inspector@example.org")
    assert mine.filter(conflict=Allocation.Conflict.PENDING).exists()
    assert mine.filter(conflict=Allocation.Conflict.NONE).exists()
    assert reviews.filter(status=Review.Status.RECEIVED).exists()
