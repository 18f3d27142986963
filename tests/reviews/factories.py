import datetime
import itertools

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import Organisation
from reviews.models import (
    DeliveryUnit,
    DocumentVersion,
    MappaCategory,
    OffenceCategory,
    Region,
    Review,
    RiskLevel,
    SupervisionType,
)
from sfoqa.placeholder_pdf import placeholder_pdf

_numbers = itertools.count(1)


def hmpps_organisation() -> Organisation:
    return Organisation.objects.get(name="HM Prison and Probation Service")


def first(model, **filters):
    return model.objects.filter(**filters).order_by("position", "pk").first()


class ReviewFactory(factory.django.DjangoModelFactory):
    """A received review with plausible facts (no documents)."""

    class Meta:
        model = Review

    hmpps_reference = factory.Sequence(lambda n: f"SFO-T{n:05d}")
    crn = factory.Sequence(lambda n: f"X{n % 1_000_000:06d}")
    organisation = factory.LazyFunction(hmpps_organisation)
    region = factory.LazyFunction(lambda: first(Region))
    delivery_unit = factory.LazyAttribute(
        lambda o: first(DeliveryUnit, region=o.region)
    )
    offence_category = factory.LazyFunction(lambda: first(OffenceCategory))
    supervision_type = factory.LazyFunction(lambda: first(SupervisionType))
    mappa_category = factory.LazyFunction(lambda: first(MappaCategory))
    risk_level = factory.LazyFunction(lambda: first(RiskLevel))
    offence_date = datetime.date(2024, 5, 1)
    charge_date = datetime.date(2024, 5, 3)
    first_court_date = datetime.date(2024, 5, 4)
    notification_date = datetime.date(2024, 5, 6)
    commissioned_date = datetime.date(2024, 5, 10)
    target_date = datetime.date(2024, 9, 10)
    due_date = factory.LazyAttribute(lambda o: o.target_date)
    submitted_date = datetime.date(2024, 9, 1)
    received_on = datetime.date(2024, 9, 2)
    reviewing_manager = factory.Faker("name", locale="en_GB")
    countersigning_manager = factory.Faker("name", locale="en_GB")
    family_meeting_offered = True
    family_meeting_held = False
    status = Review.Status.RECEIVED


def unique_pdf(label: str = "") -> bytes:
    return placeholder_pdf(f"Test document {next(_numbers)} {label}", ["Text."])


def add_document(
    review: Review,
    *,
    number: int = 1,
    scan_status=DocumentVersion.ScanStatus.NOT_SCANNED,
    document_type=DocumentVersion.DocumentType.REVIEW,
) -> DocumentVersion:
    import hashlib

    content = unique_pdf(review.hmpps_reference)
    name = default_storage.save("reviews/test.pdf", ContentFile(content))
    return DocumentVersion.objects.create(
        review=review,
        number=number,
        document_type=document_type,
        storage_name=name,
        display_name=f"{review.hmpps_reference}.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        scan_status=scan_status,
    )


def form_data(**overrides) -> dict:
    """The GOV.UK form's POST data for one valid review (files apart)."""
    region = first(Region)
    data = {
        "hmpps_reference": "SFO-2025-0001",
        "crn": "X123456",
        "region": region.pk,
        "delivery_unit": first(DeliveryUnit, region=region).pk,
        "offence_category": first(OffenceCategory).pk,
        "supervision_type": first(SupervisionType).pk,
        "mappa_category": first(MappaCategory).pk,
        "risk_level": first(RiskLevel).pk,
        "reviewing_manager": "Rita Reviewer",
        "countersigning_manager": "Colin Countersign",
        "conviction": "awaiting",
        "family_meeting_offered": "True",
        "family_meeting_held": "False",
    }
    for name, day in {
        "offence_date": (1, 5, 2024),
        "charge_date": (3, 5, 2024),
        "first_court_date": (4, 5, 2024),
        "notification_date": (6, 5, 2024),
        "commissioned_date": (10, 5, 2024),
        "target_date": (10, 9, 2024),
        "submitted_date": (1, 9, 2024),
    }.items():
        for part, value in zip(("0", "1", "2"), day, strict=True):
            data[f"{name}_{part}"] = str(value)
    data.update(overrides)
    return data


def data_row(**overrides) -> dict:
    """One manifest row / API body with codes and ISO dates (files apart)."""
    region = first(Region)
    row = {
        "hmpps_reference": "SFO-2025-0100",
        "crn": "Y654321",
        "region": region.slug,
        "delivery_unit": first(DeliveryUnit, region=region).slug,
        "offence_category": "murder",
        "inchoate": "no",
        "supervision_type": "licence",
        "mappa_category": "not-mappa",
        "mappa_level": "",
        "risk_level": "high",
        "offence_date": "2024-05-01",
        "charge_date": "2024-05-03",
        "first_court_date": "2024-05-04",
        "notification_date": "2024-05-06",
        "commissioned_date": "2024-05-10",
        "target_date": "2024-09-10",
        "submitted_date": "2024-09-01",
        "reviewing_manager": "Rita Reviewer",
        "countersigning_manager": "Colin Countersign",
        "conviction": "awaiting",
        "victim_summary_requested_on": "",
        "victim_summary_disclosed_on": "",
        "family_meeting_offered": "yes",
        "family_meeting_held": "no",
    }
    row.update(overrides)
    return row
