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


def test_the_demo_puts_inspectors_in_the_inspectorate_not_hmpps(reference_data):
    from accounts.models import Organisation, User
    from accounts.roles import Role

    accounts_demo.seed_users()
    demo.seed_benchmarking()
    inspectorate = User.objects.filter(
        groups__name__in=[Role.INSPECTOR, Role.LEAD_INSPECTOR]
    )
    assert inspectorate.count() >= 3
    assert not inspectorate.filter(organisation__kind=Organisation.Kind.HMPPS).exists()
    assert not inspectorate.filter(groups__name=Role.HMPPS_SFO).exists()
