"""
The first framework: the four standards HMI Probation rates SFO reviews
against, with prompts and descriptors (editable data, not settled rules),
the themes findings are tagged with, and the default overall-rating policy.
"""

from django.db import migrations

STANDARDS = [
    (
        1,
        "Analysis of practice",
        "The key phases of supervision analysed against policy, and why practice "
        "happened as it did.",
        [
            "Are the key phases of supervision (assessment, planning, delivery, "
            "reviewing) analysed against policy and expected practice?",
            "Is the assessment and management of the risk of serious harm examined?",
            "Are safeguarding and domestic abuse checks examined?",
            "Are MAPPA arrangements and information sharing examined?",
            "Is management oversight examined?",
            "Does the review explain why practice happened as it did (workload, "
            "culture, systems), not only what happened?",
            "Are diversity and the needs of the person on probation considered?",
            "Were the staff involved interviewed?",
            "Is good practice identified as well as deficits?",
        ],
        {
            3: "A thorough, objective and insightful analysis of every phase of "
            "supervision that explains why practice happened as it did and looks "
            "beyond process to systems and culture.",
            2: "A sound analysis of the key phases of supervision that explains most "
            "of why practice happened as it did.",
            1: "The analysis describes what happened more than why, or leaves out "
            "important phases of supervision or areas of risk.",
            0: "Little or no analysis: key failings in practice are missed or "
            "unexplained.",
        },
    ),
    (
        2,
        "Overall judgements",
        "Conclusions that are clear, balanced, proportionate and supported by the "
        "analysis.",
        [
            "Are the conclusions clear, balanced and proportionate?",
            "Are the conclusions supported by the analysis?",
            "Does the review say whether practice met the expected standard?",
            "Does it say what could or should have been done differently?",
        ],
        {
            3: "Clear, balanced and well-evidenced judgements on whether practice "
            "met the expected standard, and on what should have been done "
            "differently.",
            2: "Judgements are clear and supported by the analysis, with minor gaps.",
            1: "Judgements are unclear, not fully supported by the analysis, or do "
            "not say whether practice met the expected standard.",
            0: "Judgements are missing, unsupported or contradict the analysis.",
        },
    ),
    (
        3,
        "Learning",
        "Specific learning linked to the analysis, and an action plan that addresses "
        "every failing.",
        [
            "Are specific learning points linked to the analysis?",
            "Is learning identified at individual, team, region and national level?",
            "Does the action plan address every failing identified?",
            "Are the actions specific, owned and dated?",
            "Is learning for partner agencies identified?",
        ],
        {
            3: "Specific, well-linked learning at every level, and an action plan "
            "that addresses every failing with specific, owned and dated actions.",
            2: "Learning is linked to the analysis and the action plan addresses the "
            "main failings.",
            1: "Learning is generic or weakly linked, or the action plan leaves "
            "failings unaddressed.",
            0: "No meaningful learning, or an action plan that does not address the "
            "failings found.",
        },
    ),
    (
        4,
        "Victims and their families",
        "Victims and families considered, and the review written so it can be shared "
        "with them.",
        [
            "Are victims and their families considered?",
            "Is involvement with the Victim Contact Scheme examined?",
            "Is the review written so that it can be shared with the family?",
            "Are victim-related practice issues (exclusion zones, known victims, "
            "domestic abuse) addressed?",
        ],
        {
            3: "Victims and families are central to the review, which examines "
            "victim contact in depth and is written to be shared with the family.",
            2: "Victims and families are considered and victim contact is examined.",
            1: "Victims and families are considered only briefly, or victim-related "
            "practice issues are missed.",
            0: "Victims and families are not considered.",
        },
    ),
]

THEMES = [
    ("risk-assessment", "Risk assessment"),
    ("mappa", "MAPPA"),
    ("safeguarding", "Safeguarding"),
    ("domestic-abuse", "Domestic abuse"),
    ("information-sharing", "Information sharing"),
    ("management-oversight", "Management oversight"),
    ("workload", "Workload"),
    ("victim-contact", "Victim contact"),
    ("diversity", "Diversity"),
    ("partnership-working", "Partnership working"),
    ("recall-enforcement", "Recall and enforcement"),
    ("timeliness", "Timeliness of the review"),
]

DEFAULT_BANDS = [
    {"min": 0, "max": 2, "rating": 0},
    {"min": 3, "max": 6, "rating": 1},
    {"min": 7, "max": 10, "rating": 2},
    {"min": 11, "max": 12, "rating": 3},
]


def load(apps, schema_editor):
    Framework = apps.get_model("ratings", "Framework")
    Standard = apps.get_model("ratings", "Standard")
    Prompt = apps.get_model("ratings", "Prompt")
    Descriptor = apps.get_model("ratings", "Descriptor")
    Theme = apps.get_model("ratings", "Theme")
    OverallPolicy = apps.get_model("ratings", "OverallPolicy")

    framework, created = Framework.objects.get_or_create(
        version=1,
        defaults={"name": "SFO review quality assurance standards", "is_active": True},
    )
    if created:
        for number, name, summary, prompts, descriptors in STANDARDS:
            standard = Standard.objects.create(
                framework=framework, number=number, name=name, summary=summary
            )
            Prompt.objects.bulk_create(
                Prompt(standard=standard, position=i, text=text)
                for i, text in enumerate(prompts)
            )
            Descriptor.objects.bulk_create(
                Descriptor(standard=standard, rating=rating, text=text)
                for rating, text in descriptors.items()
            )
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})
    OverallPolicy.objects.get_or_create(
        version=1,
        defaults={"kind": "sum_and_band", "bands": DEFAULT_BANDS, "is_active": True},
    )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
