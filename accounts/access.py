"""
The URL access policy: for every URL name, who may GET it and who may POST
to it. This table is the only place that says so; the middleware below
enforces it before any view runs, and the tests walk every URL pattern
against it.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string

from accounts.roles import Role

logger = logging.getLogger(__name__)

PUBLIC = "public"
SIGNED_IN = "signed_in"
NOBODY: frozenset = frozenset()

# Separate duties: administrators manage users, reference data, the audit
# log and consultations; lead inspectors sample, allocate, moderate and
# publish. Neither reaches the other's work without holding both roles.
ADMIN = frozenset({Role.ADMIN})
LEADS = frozenset({Role.LEAD_INSPECTOR})
INSPECTORS = frozenset({Role.INSPECTOR})
QA_STAFF = frozenset({Role.INSPECTOR, Role.LEAD_INSPECTOR})
HMPPS = frozenset({Role.HMPPS_SFO})
REVIEW_READERS = frozenset({Role.HMPPS_SFO, Role.INSPECTOR, Role.LEAD_INSPECTOR})
# The intake API's description: HMPPS and inspectorate staff, not panel
# members or invited benchmarking participants.
API_READERS = frozenset(
    {Role.HMPPS_SFO, Role.INSPECTOR, Role.LEAD_INSPECTOR, Role.ADMIN}
)
# Consultation staff pages: leads read them, administrators run them.
CONSULTATION_STAFF = frozenset({Role.LEAD_INSPECTOR, Role.ADMIN})
# Benchmarking: leads run sessions; inspectors, leads and invited HMPPS
# staff rate in the sessions they are in (ratings.benchmarking.permissions).
BENCHMARK_RATERS = frozenset(
    {Role.INSPECTOR, Role.LEAD_INSPECTOR, Role.BENCHMARK_PARTICIPANT}
)
BENCHMARK_READERS = BENCHMARK_RATERS
# Learning panels: inspectors and leads read every panel, partners on a
# panel read theirs; leads (as chairs) change them. Which panel, and whose
# action, is panels.permissions' job.
PANEL_READERS = QA_STAFF | {Role.PANEL_MEMBER}


@dataclass(frozen=True)
class Allow:
    """Who may GET and who may POST: PUBLIC, SIGNED_IN or a set of roles."""

    get: str | frozenset = NOBODY
    post: str | frozenset = NOBODY

    def audience(self, method: str):
        if method in ("GET", "HEAD"):
            return self.get
        if method == "POST":
            return self.post
        return NOBODY

    def methods(self) -> list[str]:
        return [m for m, who in (("GET", self.get), ("POST", self.post)) if who]


ACCESS: dict[str, Allow] = {
    # Public pages.
    "healthz": Allow(get=PUBLIC),
    "pages:accessibility": Allow(get=PUBLIC),
    "pages:privacy": Allow(get=PUBLIC),
    "pages:cookies": Allow(get=PUBLIC),
    # Signing in and out.
    "accounts:sign_in": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:two_factor_setup": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:two_factor_verify": Allow(get=PUBLIC, post=PUBLIC),
    # Signing in with the department's account (when configured).
    "accounts:staff_sign_in": Allow(get=PUBLIC),
    "accounts:staff_sign_in_callback": Allow(get=PUBLIC),
    "accounts:sign_out": Allow(post=PUBLIC),
    "accounts:timed_out": Allow(get=PUBLIC),
    "accounts:keep_alive": Allow(post=SIGNED_IN),
    "accounts:password_reset": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:password_reset_sent": Allow(get=PUBLIC),
    "accounts:password_set": Allow(get=PUBLIC, post=PUBLIC),
    "accounts:password_set_done": Allow(get=PUBLIC),
    # Every signed-in user.
    "home": Allow(get=SIGNED_IN),
    # Administrators.
    "accounts:user_list": Allow(get=ADMIN),
    "accounts:user_invite": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_detail": Allow(get=ADMIN),
    "accounts:user_edit": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_deactivate": Allow(get=ADMIN, post=ADMIN),
    "accounts:user_reactivate": Allow(post=ADMIN),
    "accounts:user_resend_invitation": Allow(post=ADMIN),
    "accounts:audit_log": Allow(get=ADMIN),
    "accounts:audit_export": Allow(get=ADMIN),
    # SFO reviews. Which reviews each reader sees is reviews.permissions' job.
    "reviews:list": Allow(get=REVIEW_READERS),
    "reviews:export": Allow(get=REVIEW_READERS),
    "reviews:detail": Allow(get=REVIEW_READERS),
    "reviews:document": Allow(get=REVIEW_READERS),
    # The same document shown beside the rating forms.
    "reviews:document_inline": Allow(get=QA_STAFF),
    "reviews:new": Allow(get=HMPPS, post=HMPPS),
    "reviews:received": Allow(get=HMPPS),
    "reviews:bulk_upload": Allow(get=HMPPS, post=HMPPS),
    "reviews:bulk_template": Allow(get=HMPPS),
    "reviews:version_add": Allow(get=HMPPS, post=HMPPS),
    "reviews:extension_add": Allow(get=HMPPS, post=HMPPS),
    "reviews:timeliness": Allow(get=LEADS),
    "reviews:sample_round_list": Allow(get=LEADS),
    "reviews:sample_round_new": Allow(get=LEADS, post=LEADS),
    "reviews:sample_round": Allow(get=LEADS),
    "reviews:sample_round_add": Allow(post=LEADS),
    "reviews:sample_round_remove": Allow(get=LEADS, post=LEADS),
    "reviews:sample_round_confirm": Allow(get=LEADS, post=LEADS),
    "reviews:sample_round_discard": Allow(get=LEADS, post=LEADS),
    "reviews:sample_round_export": Allow(get=LEADS),
    "reviews:allocation_list": Allow(get=LEADS),
    "reviews:allocate": Allow(get=LEADS, post=LEADS),
    "reviews:conflict_declare": Allow(
        get=frozenset({Role.INSPECTOR}), post=frozenset({Role.INSPECTOR})
    ),
    # The HMPPS intake API authenticates by token, not session: DRF's
    # TokenAuthentication and the views' permission classes (HMPPS role,
    # own organisation's reviews only) enforce it, answering 401 or 403.
    "reviews_api:list": Allow(get=PUBLIC, post=PUBLIC),
    "reviews_api:detail": Allow(get=PUBLIC),
    "api_schema": Allow(get=API_READERS),
    "api_docs": Allow(get=API_READERS),
    # Consultations: the public reads and responds; lead inspectors read the
    # staff pages; administrators change things.
    "consultations:list": Allow(get=PUBLIC),
    "consultations:detail": Allow(get=PUBLIC),
    "consultations:document": Allow(get=PUBLIC),
    "consultations:respond": Allow(get=PUBLIC, post=PUBLIC),
    "consultations:respond_check": Allow(get=PUBLIC, post=PUBLIC),
    "consultations:respond_sent": Allow(get=PUBLIC),
    "consultations:staff_list": Allow(get=CONSULTATION_STAFF),
    "consultations:staff_detail": Allow(get=CONSULTATION_STAFF),
    "consultations:preview": Allow(get=CONSULTATION_STAFF),
    "consultations:response_list": Allow(get=CONSULTATION_STAFF),
    "consultations:response_export_csv": Allow(get=CONSULTATION_STAFF),
    "consultations:response_export_xlsx": Allow(get=CONSULTATION_STAFF),
    "consultations:response_detail": Allow(get=CONSULTATION_STAFF, post=ADMIN),
    "consultations:response_accept": Allow(post=ADMIN),
    "consultations:theme_list": Allow(get=CONSULTATION_STAFF, post=ADMIN),
    "consultations:theme_edit": Allow(get=ADMIN, post=ADMIN),
    "consultations:create": Allow(get=ADMIN, post=ADMIN),
    "consultations:edit": Allow(get=ADMIN, post=ADMIN),
    "consultations:publish": Allow(get=ADMIN, post=ADMIN),
    "consultations:response_publish": Allow(get=ADMIN, post=ADMIN),
    "consultations:question_add": Allow(get=ADMIN, post=ADMIN),
    "consultations:question_edit": Allow(get=ADMIN, post=ADMIN),
    "consultations:question_delete": Allow(get=ADMIN, post=ADMIN),
    "consultations:document_add": Allow(get=ADMIN, post=ADMIN),
    "consultations:document_remove": Allow(get=ADMIN, post=ADMIN),
    "consultations:response_record": Allow(get=ADMIN, post=ADMIN),
    # The annual report, the QA dashboard and exports: leads make, approve
    # and publish the report; the public reads published reports only (the
    # views 404 for anything else). Each export says who may have it.
    "insights:annual_report": Allow(get=LEADS, post=LEADS),
    "insights:annual_report_detail": Allow(get=LEADS),
    "insights:annual_report_approve": Allow(post=LEADS),
    "insights:annual_report_publish": Allow(post=LEADS),
    "insights:annual_report_data": Allow(get=LEADS),
    "insights:dashboard": Allow(get=LEADS),
    "insights:export_list": Allow(get=LEADS | ADMIN),
    # Each export is a report job; its kind decides who downloads the file.
    "insights:export_request": Allow(post=LEADS | ADMIN),
    "publications:publication_list": Allow(get=PUBLIC),
    "publications:publication_detail": Allow(get=PUBLIC),
    "publications:publication_pdf": Allow(get=PUBLIC),
    "publications:publication_data": Allow(get=PUBLIC),
    # Quality assurance: inspectors rate; leads moderate and publish; HMPPS
    # reads what is published. Object rules are in ratings.permissions.
    "ratings:my_assessments": Allow(get=INSPECTORS),
    "ratings:start": Allow(post=INSPECTORS),
    "ratings:task_list": Allow(get=QA_STAFF),
    "ratings:standard": Allow(get=QA_STAFF, post=INSPECTORS),
    "ratings:findings": Allow(get=QA_STAFF, post=INSPECTORS),
    "ratings:finding_add": Allow(get=INSPECTORS, post=INSPECTORS),
    "ratings:finding_edit": Allow(get=INSPECTORS, post=INSPECTORS),
    "ratings:finding_delete": Allow(post=INSPECTORS),
    "ratings:overall": Allow(get=QA_STAFF, post=INSPECTORS),
    "ratings:check": Allow(get=QA_STAFF, post=INSPECTORS),
    "ratings:autosave": Allow(post=INSPECTORS),
    "ratings:history": Allow(get=QA_STAFF),
    "ratings:moderation_queue": Allow(get=LEADS),
    "ratings:moderate": Allow(get=LEADS, post=LEADS),
    "ratings:publish": Allow(get=LEADS, post=LEADS),
    "ratings:reopen": Allow(get=LEADS, post=LEADS),
    "ratings:published_list": Allow(get=frozenset({Role.HMPPS_SFO, *LEADS})),
    "ratings:benchmark_list": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_create": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_drift": Allow(get=LEADS),
    "ratings:benchmark_session": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_review_add": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_participants_add": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_participant_invite": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_reveal": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_results": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_report": Allow(post=BENCHMARK_READERS),
    "ratings:benchmark_review_results": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_consensus": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_notes": Allow(get=LEADS, post=LEADS),
    "ratings:benchmark_start": Allow(post=BENCHMARK_RATERS),
    "ratings:benchmark_declare": Allow(get=BENCHMARK_READERS, post=BENCHMARK_READERS),
    "ratings:benchmark_document": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_rating": Allow(get=BENCHMARK_READERS),
    "ratings:benchmark_standard": Allow(get=BENCHMARK_RATERS, post=BENCHMARK_RATERS),
    "ratings:benchmark_overall": Allow(get=BENCHMARK_RATERS, post=BENCHMARK_RATERS),
    "ratings:benchmark_autosave": Allow(post=BENCHMARK_RATERS),
    # Learning panels and the learning library.
    "panels:list": Allow(get=PANEL_READERS),
    "panels:create": Allow(get=LEADS, post=LEADS),
    "panels:representation": Allow(get=QA_STAFF),
    "panels:progress": Allow(get=QA_STAFF),
    "panels:detail": Allow(get=PANEL_READERS),
    "panels:edit": Allow(get=LEADS, post=LEADS),
    "panels:status": Allow(get=LEADS, post=LEADS),
    "panels:member_invite": Allow(get=LEADS, post=LEADS),
    "panels:member_remove": Allow(get=LEADS, post=LEADS),
    "panels:meeting_schedule": Allow(get=LEADS, post=LEADS),
    "panels:paper_add": Allow(get=LEADS, post=LEADS),
    "panels:chronology": Allow(get=PANEL_READERS, post=PANEL_READERS),
    "panels:learning_add": Allow(get=LEADS, post=LEADS),
    "panels:action_add": Allow(get=LEADS, post=LEADS),
    "panels:briefing": Allow(post=PANEL_READERS),
    "panels:meeting": Allow(get=PANEL_READERS),
    "panels:meeting_attendance": Allow(get=LEADS, post=LEADS),
    "panels:meeting_minutes": Allow(get=LEADS, post=LEADS),
    "panels:meeting_calendar": Allow(get=PANEL_READERS),
    "panels:paper_download": Allow(get=PANEL_READERS),
    "panels:learning_detail": Allow(get=PANEL_READERS),
    "panels:learning_edit": Allow(get=LEADS, post=LEADS),
    "panels:learning_approve": Allow(post=LEADS),
    "panels:learning_disseminate": Allow(post=LEADS),
    "panels:finding_bring": Allow(get=LEADS, post=LEADS),
    "panels:action_detail": Allow(get=PANEL_READERS),
    "panels:action_update": Allow(post=PANEL_READERS),
    "panels:action_evidence": Allow(get=PANEL_READERS, post=PANEL_READERS),
    "panels:action_decide": Allow(get=LEADS, post=LEADS),
    "panels:evidence_file": Allow(get=PANEL_READERS),
    "panels:impact_check": Allow(get=PANEL_READERS, post=PANEL_READERS),
    "learning:library": Allow(get=PANEL_READERS),
    "learning:subscriptions": Allow(get=PANEL_READERS, post=PANEL_READERS),
    # Report jobs: each kind says who may have its reports (reports.kinds).
    "reports:job_list": Allow(get=SIGNED_IN),
    "reports:job_detail": Allow(get=SIGNED_IN),
    "reports:job_status": Allow(get=SIGNED_IN),
    "reports:job_download": Allow(get=SIGNED_IN),
    "reports:job_retry": Allow(post=SIGNED_IN),
}

# Whole namespaces with one rule. Django admin checks its own rights too.
NAMESPACES: dict[str, Allow] = {
    "admin": Allow(get=ADMIN, post=ADMIN),
}


def rule_for(view_name: str) -> Allow | None:
    if view_name in ACCESS:
        return ACCESS[view_name]
    return NAMESPACES.get(view_name.split(":", 1)[0]) if ":" in view_name else None


def is_allowed(user, audience) -> bool:
    if audience == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if audience == SIGNED_IN:
        return True
    return user.has_role(*audience)


class AccessPolicyMiddleware:
    """Enforce ACCESS before any view runs. Unknown URL names are refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        rule = rule_for(view_name)
        if rule is None:
            logger.error("No access rule for URL name %r: refused.", view_name)
            raise PermissionDenied
        audience = rule.audience(request.method)
        if not audience:
            # A GOV.UK page, not an empty one: a POST-only address opened from
            # the address bar, say.
            page = render_to_string("405.html", request=request)
            return HttpResponseNotAllowed(rule.methods(), content=page)
        if is_allowed(request.user, audience):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        from accounts.audit import Action, Outcome, audit_record

        audit_record(
            action=Action.PERMISSION_REFUSED,
            request=request,
            object_type="url",
            object_id=view_name[:64],
            outcome=Outcome.REFUSED,
            details={"method": request.method},
        )
        raise PermissionDenied
