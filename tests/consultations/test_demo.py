import pytest

from consultations import demo
from consultations.models import Consultation, Document, Response, Status

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_seed_consultations_once(private_storage):
    demo.seed_consultations()
    demo.seed_consultations()

    standards = Consultation.objects.get(
        slug="probation-and-youth-standards-and-ratings-2017"
    )
    counts = {a.name: a.responses.count() for a in standards.audiences.all()}
    assert counts == {"probation": 25, "youth": 42}
    assert not Response.objects.exclude(name="").exists()
    assert Consultation.objects.filter(slug=demo.OPEN_SLUG).get().status == Status.OPEN
    sfo = Consultation.objects.get(slug="quality-assurance-of-sfo-reviews")
    assert sfo.status == Status.CLOSED
    assert Document.objects.count() == 16
    assert Consultation.objects.get(slug=demo.OPEN_SLUG).questions.count() == 4
