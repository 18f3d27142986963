"""
The registry of report kinds. Each domain app declares its own kinds in its
`reports.py` (found by autodiscovery at start-up), with a builder that turns
a job into a file; the pipeline here runs them without knowing the domain.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.roles import Role


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    content_type: str


Progress = Callable[[int], None]


def requester_or_admin(user, job) -> bool:
    return job.requested_by_id == user.pk or user.has_role(Role.ADMIN)


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    # builder(job, progress) -> Rendered; progress(n) records n per cent done.
    builder: Callable[..., Rendered]
    can_download: Callable = field(default=requester_or_admin)
    max_attempts: int = 3
    # kept_jobs() -> the ids (a values queryset) of this kind's jobs whose
    # file is a record that stays, such as a published report: the retention
    # task never deletes them. None: every file of the kind expires.
    kept_jobs: Callable | None = None


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ReportKind:
    return KINDS[name]
