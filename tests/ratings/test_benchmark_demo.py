import pytest

from accounts import demo as accounts_demo
from ratings import demo
from ratings.models import Assessment, BenchmarkSession, Consensus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_session_and_an_open_one_and_runs_twice(
    reference_data,
):
    accounts_demo.seed_users()
    demo.seed_benchmarking()
    demo.seed_benchmarking()
    finished = BenchmarkSession.objects.get(title=demo.FINISHED)
    assert finished.is_revealed
    assert finished.participants.count() == 6
    assert finished.reviews.count() == 2
    assert Assessment.objects.filter(session_review__session=finished).count() == 12
    assert Consensus.objects.filter(session_review__session=finished).count() == 10
    still_open = BenchmarkSession.objects.get(title=demo.OPEN)
    assert not still_open.is_revealed
    assert still_open.participants.filter(user__email=demo.INSPECTOR).exists()
    assert BenchmarkSession.objects.count() == 2
