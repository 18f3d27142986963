"""The roles of the service. Each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector")
    LEAD_INSPECTOR = "lead_inspector", _("Lead inspector")
    HMPPS_SFO = "hmpps_sfo", _("HMPPS SFO team")
    PANEL_MEMBER = "panel_member", _("Panel member")
    ADMIN = "admin", _("Administrator")
    # Invited HMPPS staff who see only the benchmarking sessions they are in.
    BENCHMARK_PARTICIPANT = "benchmark_participant", _("Benchmarking participant")


HMIP_STAFF = frozenset({Role.INSPECTOR, Role.LEAD_INSPECTOR, Role.ADMIN})
