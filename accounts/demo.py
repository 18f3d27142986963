"""Demo users: one per role, for trying the service out."""

import os

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import AgencyType, Organisation, User
from accounts.roles import Role

DEFAULT_PASSWORD = "sfo-qa-demo-2026"  # noqa: S105 - the documented demo default

DEMO_USERS = [
    ("inspector@example.org", "Ilse Inspector", Role.INSPECTOR, "hmip"),
    ("lead.inspector@example.org", "Leah Lead", Role.LEAD_INSPECTOR, "hmip"),
    ("hmpps@example.org", "Hari Hmpps", Role.HMPPS_SFO, "hmpps"),
    ("panel.member@example.org", "Pat Panel", Role.PANEL_MEMBER, "partner"),
    ("admin@example.org", "Ada Admin", Role.ADMIN, "hmip"),
]


def demo_password() -> str:
    return os.environ.get("SFOQA_DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def seed_users() -> list[tuple[str, str]]:
    """Create or refresh the demo users; return (email, role label) pairs."""
    police, _ = Organisation.objects.get_or_create(
        name="Demo Constabulary",
        defaults={
            "kind": Organisation.Kind.PARTNER,
            "agency_type": AgencyType.objects.get(slug="police"),
        },
    )
    organisations = {
        "hmip": Organisation.objects.get(kind=Organisation.Kind.HMI_PROBATION),
        "hmpps": Organisation.objects.get(kind=Organisation.Kind.HMPPS),
        "partner": police,
    }
    password = demo_password()
    seeded = []
    for email, name, role, organisation in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": name,
                "organisation": organisations[organisation],
                "is_active": True,
                "deactivated_at": None,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
        seeded.append((email, role.label))
    return seeded
