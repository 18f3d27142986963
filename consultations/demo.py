"""
Demo consultations: HM Inspectorate of Probation's real historic
consultations (from its public consultations page), with small generated
PDFs standing in for the original documents, and one open consultation to
try responding online. Dates the page does not give (most opening dates and
when responses were published) are illustrative.
"""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from consultations.models import (
    Audience,
    Consultation,
    Document,
    Question,
    Response,
    Theme,
)
from consultations.services import new_reference
from sfoqa.placeholder_pdf import placeholder_pdf

LONDON = ZoneInfo("Europe/London")
RESPONSES_EMAIL = "consultations@hmiprobation.gov.uk"


def _uk(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


SFO_BODY = """\
In June 2020, responding to our thematic inspection of the Serious Further \
Offences investigation and review process, the Secretary of State for Justice \
asked HM Inspectorate of Probation to provide ongoing independent oversight as \
part of the SFO quality assurance process. We will commence this work in April \
2021. In this consultation we are seeking your views on our proposed approach, \
which we are currently developing in collaboration with the HMPPS SFO team.

Our approach aims to provide assurance that:

* there is independent oversight of the quality assurance of a sample of SFO reviews
* reviews of SFOs are thorough, robust and objective
* reviews are not just focused on process failures but are broader and look at \
system/culture and policy
* poor practice is identified, and the action plan addresses failings
* learning points are identified and disseminated
* good practice is identified and disseminated
* where relevant, partnership work is examined and areas for improvements identified
* issues relating to national policy and procedures are identified.

The quality assurance of reviews will be undertaken against a clear set of \
standards with four distinct areas of focus:

1. analysis of practice
2. overall judgements
3. learning
4. victims and their families.

We propose to look at how well each SFO review meets these four standards. We \
will use a four-point scale to rate each of the four standards and to give an \
overall rating. Our ratings are: 'Outstanding', 'Good', 'Requires improvement' \
and 'Inadequate'.

In addition to quality assuring SFO reviews and undertaking benchmarking \
sessions with SFO reviewers and central quality assurance teams, we are setting \
up multi-agency learning panels. The aim of these panels is to promote \
collaborative learning from SFO cases and to influence improvements at local \
and national levels for other agencies. We are exploring effective methods for \
ensuring the panels have a good representation of relevant agencies.

We welcome any views on this consultation.
"""

FRAMEWORK_BODY = """\
Under the Police and Criminal Justice Act 2006 we consult each year on our inspection \
framework and programmes. We think it right to consult not just with ministers \
and other inspectorates (as the Act requires) but also with those we inspect \
and other interested parties.
"""

# slug, title, summary, body, opens, closes, response published,
# [(kind, title)], audiences, responses email, contact email
HISTORIC = [
    {
        "slug": "quality-assurance-of-sfo-reviews",
        "title": "Quality assurance of Serious Further Offence (SFO) reviews",
        "summary": "Our proposed approach to independent oversight of the "
        "quality assurance of SFO reviews, from April 2021.",
        "body": SFO_BODY,
        "opens_at": _uk(2021, 2, 5),
        "closes_at": _uk(2021, 3, 5),
        "response_published_at": None,
        "contact_email": "Simi.Badachha@hmiprobation.gov.uk",
        "documents": [
            (
                Document.Kind.CONSULTATION,
                "Quality assurance of Serious Further Offence reviews: "
                "consultation document",
            )
        ],
    },
    {
        "slug": "inspection-framework-and-programmes-2021",
        "listed_year": 2021,
        "title": "Inspection framework and programmes 2021",
        "summary": "Our consultation for 2020-2021 on the future of adult inspections.",
        "body": FRAMEWORK_BODY,
        "opens_at": _uk(2020, 7, 20),
        "closes_at": _uk(2020, 8, 30, 23, 59),
        "response_published_at": None,
        "documents": [
            (
                Document.Kind.CONSULTATION,
                "Consultation on the future of adult inspections",
            )
        ],
    },
    {
        "slug": "inspection-framework-and-programmes-2020",
        "listed_year": 2020,
        "title": "Inspection framework and programmes 2020",
        "summary": "Our statutory consultation on the inspection framework and "
        "programmes for 2020-2022.",
        "body": FRAMEWORK_BODY,
        "opens_at": _uk(2020, 4, 20),
        "closes_at": _uk(2020, 5, 29, 23, 59),
        "response_published_at": _uk(2020, 7, 24, 10),
        "documents": [
            (Document.Kind.CONSULTATION, "HMI Probation statutory consultation 2020"),
            (
                Document.Kind.RESPONSE,
                "Response to the consultation on HM Inspectorate of Probation's "
                "inspection framework and programmes for 2020-2022",
            ),
        ],
    },
    {
        "slug": "inspection-framework-and-programmes-2019",
        "listed_year": 2019,
        "title": "Inspection framework and programmes 2019",
        "summary": "Our statutory consultation on the inspection framework and "
        "programmes for 2019/2020.",
        "body": FRAMEWORK_BODY,
        "opens_at": _uk(2019, 3, 11),
        "closes_at": _uk(2019, 4, 14, 23, 59),
        "response_published_at": _uk(2019, 6, 28, 10),
        "documents": [
            (Document.Kind.CONSULTATION, "HMI Probation statutory consultation 2019"),
            (
                Document.Kind.RESPONSE,
                "Response to the consultation of HM Inspectorate of Probation's "
                "inspection framework and programmes for 2019/2020",
            ),
        ],
    },
    {
        "slug": "inspection-framework-and-programmes-2018",
        "listed_year": 2018,
        "title": "Inspection framework and programmes 2018",
        "summary": "Our statutory consultation on the inspection framework and "
        "programmes for 2018/2019.",
        "body": FRAMEWORK_BODY,
        "opens_at": _uk(2018, 3, 12),
        "closes_at": _uk(2018, 4, 16, 23, 59),
        "response_published_at": _uk(2018, 6, 29, 10),
        "documents": [
            (Document.Kind.CONSULTATION, "HMI Probation statutory consultation 2018"),
            (
                Document.Kind.RESPONSE,
                "Response to the consultation of HM Inspectorate of Probation's "
                "inspection framework and programmes for 2018/2019",
            ),
        ],
    },
    {
        "slug": "standards-for-inspecting-youth-offending-services",
        "title": "Consultation on standards for inspecting youth offending services",
        "summary": "Views on particular areas of our youth offending standards, "
        "such as out of court disposals and resettlement.",
        "body": "In 2018, we launched a new set of standards, ratings and "
        "methodology. Overall, they have been performing well, but we want to "
        "continue to improve the way we inspect local services to support "
        "improvements in practice. We have kept our methodology under review and "
        "want to seek views on particular areas such as the inspection of out of "
        "court disposals and resettlement services for children leaving custody.",
        "opens_at": _uk(2020, 4, 27),
        "closes_at": _uk(2020, 6, 7, 23, 59),
        "response_published_at": _uk(2020, 8, 14, 10),
        "documents": [
            (
                Document.Kind.CONSULTATION,
                "Consultation on standards for inspecting youth offending services",
            ),
            (
                Document.Kind.RESPONSE,
                "Response to the consultation on standards and ratings for "
                "inspection of youth offending services",
            ),
        ],
    },
    {
        "slug": "four-week-consultation-on-inspection-of-probation-providers",
        "title": "Four-week consultation on inspection of probation providers",
        "summary": "Changes to our domain one and three standards and our "
        "inspection schedule for 2019/2020 and 2020/2021.",
        "body": "We are asking your views on the changes that we are proposing to "
        "our domain one and three standards, the way that we will inspect against "
        "these standards and the schedule for doing so throughout 2019/2020 and "
        "2020/2021.",
        "opens_at": _uk(2019, 1, 14),
        "closes_at": _uk(2019, 2, 11, 23, 59),
        "response_published_at": None,
        "documents": [
            (
                Document.Kind.CONSULTATION,
                "HMI Probation four-week consultation on inspection of probation "
                "providers",
            )
        ],
    },
    {
        "slug": "probation-and-youth-standards-and-ratings-2017",
        "title": "Standards and ratings for inspecting probation and youth "
        "offending services",
        "summary": "Our consultation from 8 November 2017 to 8 December 2017 on "
        "standards and ratings for inspecting probation and youth offending "
        "services.",
        "body": "From 8 November 2017 to 8 December 2017, we ran a consultation on "
        "our standards and ratings for inspecting probation and youth offending "
        "services.",
        "opens_at": _uk(2017, 11, 8),
        "closes_at": _uk(2017, 12, 8, 23, 59),
        "response_published_at": _uk(2018, 2, 15, 10),
        "response_summary": "The reports below summarise the responses and how we "
        "are taking them forward. We will continue to be transparent in the way we "
        "work, and will in due course publish the final versions of the 2018/19 "
        "standards frameworks, alongside documentation covering the inspection "
        "processes, methodologies and ratings.",
        "audiences": {"probation": 25, "youth": 42},
        "documents": [
            (
                Document.Kind.CONSULTATION,
                "HMI Probation consultation on probation standards and ratings, "
                "November 2017",
            ),
            (
                Document.Kind.CONSULTATION,
                "HMI Probation consultation on youth offending standards and "
                "ratings, November 2017",
            ),
            (
                Document.Kind.RESPONSE,
                "Our response to consultation on probation standards and ratings "
                "(Feb 18)",
            ),
            (
                Document.Kind.RESPONSE,
                "Our response to consultation on youth offending standards and "
                "ratings (Feb 18)",
            ),
        ],
    },
]

# The sizes the published originals state; the stand-ins are much smaller.
STATED_SIZES = {
    "Quality assurance of Serious Further Offence reviews: consultation document": (
        261_000
    ),
    "Consultation on the future of adult inspections": 395_000,
    "HMI Probation statutory consultation 2020": 283_000,
    "Response to the consultation on HM Inspectorate of Probation's inspection "
    "framework and programmes for 2020-2022": 363_000,
    "HMI Probation statutory consultation 2019": 251_000,
    "Response to the consultation of HM Inspectorate of Probation's inspection "
    "framework and programmes for 2019/2020": 84_000,
    "HMI Probation statutory consultation 2018": 341_000,
    "Response to the consultation of HM Inspectorate of Probation's inspection "
    "framework and programmes for 2018/2019": 443_000,
    "Consultation on standards for inspecting youth offending services": 382_000,
    "Response to the consultation on standards and ratings for inspection of "
    "youth offending services": 288_000,
    "Our response to consultation on probation standards and ratings (Feb 18)": (
        455_000
    ),
    "Our response to consultation on youth offending standards and ratings "
    "(Feb 18)": 523_000,
    "HMI Probation consultation on probation standards and ratings, November "
    "2017": 1_000_000,
    "HMI Probation consultation on youth offending standards and ratings, "
    "November 2017": 1_000_000,
}

OPEN_SLUG = "multi-agency-learning-panels"
OPEN_QUESTIONS = [
    {
        "text": "Which best describes you?",
        "hint": "",
        "kind": Question.Kind.SINGLE,
        "required": True,
        "options": [
            "I work in probation",
            "I work for another agency",
            "I am a victim or a member of a victim's family",
            "Other",
        ],
    },
    {
        "text": "How well would learning panels help agencies learn from "
        "Serious Further Offence cases?",
        "hint": "Tell us what would make them work well and what could get in the way.",
        "kind": Question.Kind.TEXT,
        "required": True,
        "options": [],
    },
    {
        "text": "Which agencies should usually be invited to a learning panel?",
        "hint": "Select all that apply.",
        "kind": Question.Kind.MULTIPLE,
        "required": False,
        "options": [
            "Police",
            "Prisons",
            "Health services",
            "Children's and adult social care",
            "Housing",
            "Youth justice services",
            "Victim services",
        ],
    },
    {
        "text": "Is there anything else you would like to tell us?",
        "hint": "",
        "kind": Question.Kind.TEXT,
        "required": False,
        "options": [],
    },
]


def _open_consultation(now) -> dict:
    closes = (now + timedelta(weeks=6)).astimezone(LONDON)
    return {
        "slug": OPEN_SLUG,
        "title": "Multi-agency learning panels for Serious Further Offences",
        "summary": "How our learning panels should bring agencies together to "
        "learn from Serious Further Offence cases.",
        "body": "We convene multi-agency learning panels around Serious Further "
        "Offence cases so that agencies can learn together and improve practice "
        "locally and nationally.\n\n## What we would like to know\n\nWe would like "
        "your views on how the panels should work, which agencies should take "
        "part and how their learning should be shared.\n\n*This is a "
        "demonstration consultation.*",
        "opens_at": now - timedelta(days=7),
        "closes_at": closes.replace(hour=23, minute=59, second=0, microsecond=0),
        "response_published_at": None,
        "accepts_online": True,
        "audiences": {"probation": 0, "partner agency": 0},
        "documents": [
            (Document.Kind.CONSULTATION, "Learning panels: consultation document")
        ],
        "questions": OPEN_QUESTIONS,
    }


def _store_pdf(title: str) -> tuple[str, bytes]:
    content = placeholder_pdf(
        title,
        [
            "This is a demonstration document.",
            "It stands in for the original published by HM Inspectorate of "
            "Probation, which is not reproduced here.",
        ],
    )
    name = default_storage.save("consultations/demo.pdf", ContentFile(content))
    return name, content


def _documents(consultation: Consultation, documents) -> None:
    if consultation.documents.exists():
        _state_sizes(consultation)
        return
    for position, (kind, title) in enumerate(documents, start=1):
        storage_name, content = _store_pdf(title)
        Document.objects.create(
            consultation=consultation,
            kind=kind,
            title=title,
            storage_name=storage_name,
            file_type="pdf",
            content_type="application/pdf",
            size=len(content),
            stated_size=STATED_SIZES.get(title),
            sha256=hashlib.sha256(content).hexdigest(),
            position=position,
        )


def _state_sizes(consultation: Consultation) -> None:
    for document in consultation.documents.filter(stated_size__isnull=True):
        if size := STATED_SIZES.get(document.title):
            document.stated_size = size
            document.save(update_fields=["stated_size"])


def _open_responses(consultation: Consultation) -> None:
    """A few responses to the open consultation, one held for review."""
    if consultation.responses.exists():
        return
    audiences = list(consultation.audiences.order_by("position"))
    Response.objects.bulk_create(
        Response(
            consultation=consultation,
            audience=audiences[n % len(audiences)],
            reference=new_reference(),
            channel=Response.Channel.EMAIL,
            received_at=consultation.opens_at + timedelta(days=1 + n),
            date_only=True,
            text="We support panels that include health and housing partners.",
        )
        for n in range(3)
    )
    Response.objects.create(
        consultation=consultation,
        audience=audiences[0],
        reference=new_reference(),
        channel=Response.Channel.ONLINE,
        received_at=consultation.opens_at + timedelta(days=2, hours=3),
        organisation="Cheap watches online",
        answers={},
        held_for_review=True,
    )


# The open consultation's themes, each with the shared theme (a ratings
# theme's slug) it matches, if any, so the annual report counts them there.
OPEN_THEMES = [
    ("Which agencies take part", "partnership-working"),
    ("Sharing information between agencies", "information-sharing"),
    ("Keeping victims informed", "victim-contact"),
    ("Meeting arrangements", ""),
]


def _open_themes(consultation: Consultation) -> None:
    """The open consultation's themes; its accepted responses tagged with them."""
    themes = []
    for name, slug in OPEN_THEMES:
        theme, _ = Theme.objects.update_or_create(
            consultation=consultation, name=name, defaults={"taxonomy_slug": slug}
        )
        themes.append(theme)
    untagged = consultation.responses.filter(
        held_for_review=False, themes__isnull=True
    ).order_by("received_at", "pk")
    for n, response in enumerate(untagged):
        response.themes.set([themes[0], themes[1 + n % (len(themes) - 1)]])


def _audiences_and_responses(consultation: Consultation, audiences: dict) -> None:
    for position, (name, wanted) in enumerate(audiences.items()):
        audience, _ = Audience.objects.get_or_create(
            consultation=consultation, name=name, defaults={"position": position}
        )
        have = audience.responses.count()
        # Recorded as emailed or posted, with no personal details.
        Response.objects.bulk_create(
            Response(
                consultation=consultation,
                audience=audience,
                reference=new_reference(),
                channel=Response.Channel.POST if n % 5 == 0 else Response.Channel.EMAIL,
                received_at=consultation.opens_at + timedelta(days=1 + n % 28),
                date_only=True,
            )
            for n in range(have, wanted)
        )


def _questions(consultation: Consultation, questions) -> None:
    if consultation.questions.exists():
        return
    for position, question in enumerate(questions, start=1):
        Question.objects.create(
            consultation=consultation, position=position, **question
        )


@transaction.atomic
def seed_consultations() -> int:
    """Create or refresh the demo consultations; return how many there are."""
    now = timezone.now()
    specs = [*HISTORIC, _open_consultation(now)]
    for spec in specs:
        consultation, _ = Consultation.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "body": spec["body"],
                "opens_at": spec["opens_at"],
                "closes_at": spec["closes_at"],
                "published_at": spec["opens_at"] - timedelta(days=1),
                "response_published_at": spec["response_published_at"],
                "response_summary": spec.get("response_summary", ""),
                "responses_email": RESPONSES_EMAIL,
                "contact_email": spec.get("contact_email", RESPONSES_EMAIL),
                "accepts_online": spec.get("accepts_online", False),
                "listed_year": spec.get("listed_year"),
            },
        )
        _audiences_and_responses(consultation, spec.get("audiences", {}))
        _documents(consultation, spec["documents"])
        _questions(consultation, spec.get("questions", []))
        if spec["slug"] == OPEN_SLUG:
            _open_responses(consultation)
            _open_themes(consultation)
    return len(specs)
