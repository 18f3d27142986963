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


def test_the_demo_documents_state_the_seed_sizes_and_years(private_storage):
    demo.seed_consultations()
    sfo = Document.objects.get(consultation__slug="quality-assurance-of-sfo-reviews")
    assert sfo.size_label == "PDF, 261 KB"
    assert sfo.size < 261_000
    framework = Consultation.objects.get(
        slug="inspection-framework-and-programmes-2021"
    )
    assert framework.listed_year == 2021 and framework.closes_at.year == 2020


def test_the_demo_open_consultation_has_a_response_held_for_review(private_storage):
    demo.seed_consultations()
    demo.seed_consultations()
    responses = Response.objects.filter(consultation__slug=demo.OPEN_SLUG)
    assert responses.filter(held_for_review=True).count() == 1
    assert responses.filter(date_only=True).count() == 3


def test_the_demo_open_consultations_themes_name_shared_themes(private_storage):
    from ratings.models import Theme as SharedTheme

    demo.seed_consultations()
    demo.seed_consultations()
    open_ = Consultation.objects.get(slug=demo.OPEN_SLUG)
    slugs = set(
        open_.themes.exclude(taxonomy_slug="").values_list("taxonomy_slug", flat=True)
    )
    assert slugs and slugs <= set(SharedTheme.objects.values_list("slug", flat=True))
    assert open_.themes.filter(taxonomy_slug="").exists()
    accepted = open_.responses.filter(held_for_review=False)
    assert all(response.themes.count() == 2 for response in accepted)
    assert not open_.responses.get(held_for_review=True).themes.exists()
