from datetime import timedelta

import factory
from django.utils import timezone

from consultations.models import (
    Audience,
    Consultation,
    Document,
    Question,
    Response,
    Theme,
)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation, open now unless told otherwise."""

    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation on inspection standards {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = factory.Faker("sentence", locale="en_GB")
    body = "We would like your views.\n\n* on this\n* and on that"
    responses_email = "consultations@example.org"
    contact_email = "questions@example.org"
    accepts_online = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=8))


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience

    consultation = factory.SubFactory(ConsultationFactory)
    name = factory.Sequence(lambda n: f"audience {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"What do you think of proposal {n}?")
    kind = Question.Kind.TEXT
    required = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    consultation = factory.SubFactory(ConsultationFactory)
    kind = Document.Kind.CONSULTATION
    title = factory.Sequence(lambda n: f"Consultation document {n}")
    storage_name = "consultations/missing.pdf"
    file_type = "pdf"
    content_type = "application/pdf"
    size = 261_345
    sha256 = "0" * 64


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    reference = factory.Sequence(lambda n: f"HMIP-T{n:07d}")
    channel = Response.Channel.EMAIL
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")


# URL kwargs makers for the browser page catalogue (they get the users dict).


def _with_content(consultation):
    audience = AudienceFactory(consultation=consultation, name="probation")
    QuestionFactory(
        consultation=consultation,
        text="Which best describes you?",
        hint="Choose one",
        kind=Question.Kind.SINGLE,
        options=["Probation staff", "Partner agency"],
    )
    QuestionFactory(consultation=consultation, text="What do you think?")
    QuestionFactory(
        consultation=consultation,
        text="Which agencies?",
        kind=Question.Kind.MULTIPLE,
        options=["Police", "Health"],
        required=False,
    )
    DocumentFactory(consultation=consultation)
    DocumentFactory(consultation=consultation, kind=Document.Kind.RESPONSE)
    ResponseFactory(consultation=consultation, audience=audience)
    return consultation


def an_open_consultation_slug(users):
    return {"slug": _with_content(ConsultationFactory()).slug}


def a_published_response_slug(users):
    now = timezone.now()
    consultation = ConsultationFactory(
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        response_published_at=now,
        response_summary="We listened.",
    )
    return {"slug": _with_content(consultation).slug}


def a_consultation(users):
    return {"pk": _with_content(ConsultationFactory()).pk}


def a_closed_consultation(users):
    now = timezone.now()
    consultation = ConsultationFactory(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    return {"pk": _with_content(consultation).pk}


def a_draft_consultation(users):
    return {"pk": _with_content(ConsultationFactory(published_at=None)).pk}


def a_question(users):
    return {"pk": QuestionFactory(kind=Question.Kind.TEXT).pk}


def a_theme(users):
    consultation = ConsultationFactory()
    return {"pk": Theme.objects.create(consultation=consultation, name="Workload").pk}


def a_document(users):
    return {"pk": DocumentFactory().pk}


def a_response(users):
    return {"pk": _with_content(ConsultationFactory()).responses.get().pk}
