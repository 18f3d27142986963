"""Roles, agency types and the two organisations every deployment has."""

from django.db import migrations

ROLES = ["inspector", "lead_inspector", "hmpps_sfo", "panel_member", "admin"]

AGENCY_TYPES = [
    ("probation", "Probation"),
    ("police", "Police"),
    ("prisons", "Prisons"),
    ("mental-health", "Health: mental health"),
    ("substance-misuse", "Health: substance misuse"),
    ("health-other", "Health: other"),
    ("childrens-social-care", "Local authority: children's social care"),
    ("adult-social-care", "Local authority: adult social care"),
    ("housing", "Housing"),
    ("youth-justice", "Youth justice"),
    ("cps-courts", "CPS and courts"),
    ("victim-services", "Victim services"),
    ("voluntary-sector", "Voluntary sector"),
]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    AgencyType = apps.get_model("accounts", "AgencyType")
    Organisation = apps.get_model("accounts", "Organisation")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for slug, name in AGENCY_TYPES:
        AgencyType.objects.get_or_create(slug=slug, defaults={"name": name})
    Organisation.objects.get_or_create(
        name="HM Inspectorate of Probation", defaults={"kind": "hmip"}
    )
    Organisation.objects.get_or_create(
        name="HM Prison and Probation Service", defaults={"kind": "hmpps"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
