"""
The page catalogue: every page of the service, with the role that opens it.
Each feature adds its pages here; the browser suite runs axe on all of them.
Entries are (role or None for anonymous, URL name, URL kwargs maker).
"""

from accounts.roles import Role
from tests.consultations import factories as consultation_pages
from tests.insights import pages as insight_pages
from tests.panels import pages as panel_pages
from tests.ratings import benchmarking as benchmark_pages
from tests.ratings import pages as qa_pages
from tests.reviews import pages as review_pages


def no_args(users):
    return {}


def an_inspector(users):
    return {"pk": users[Role.INSPECTOR].pk}


PAGES = [
    (None, "accounts:sign_in", no_args),
    (None, "accounts:password_reset", no_args),
    (None, "accounts:password_reset_sent", no_args),
    (None, "accounts:password_set_done", no_args),
    (None, "accounts:timed_out", no_args),
    (None, "pages:accessibility", no_args),
    (None, "pages:privacy", no_args),
    (None, "pages:cookies", no_args),
    *[(role, "home", no_args) for role in Role],
    (Role.ADMIN, "accounts:user_list", no_args),
    (Role.ADMIN, "accounts:user_invite", no_args),
    (Role.ADMIN, "accounts:user_detail", an_inspector),
    (Role.ADMIN, "accounts:user_edit", an_inspector),
    (Role.ADMIN, "accounts:user_deactivate", an_inspector),
    (Role.ADMIN, "accounts:audit_log", no_args),
    (Role.LEAD_INSPECTOR, "reports:job_list", no_args),
    (Role.INSPECTOR, "ratings:my_assessments", no_args),
    (Role.INSPECTOR, "ratings:task_list", qa_pages.a_draft),
    (Role.INSPECTOR, "ratings:standard", qa_pages.a_draft_standard),
    (Role.INSPECTOR, "ratings:findings", qa_pages.a_draft),
    (Role.INSPECTOR, "ratings:finding_add", qa_pages.a_draft),
    (Role.INSPECTOR, "ratings:finding_edit", qa_pages.a_draft_finding),
    (Role.INSPECTOR, "ratings:overall", qa_pages.a_draft),
    (Role.INSPECTOR, "ratings:check", qa_pages.a_draft),
    (Role.INSPECTOR, "ratings:history", qa_pages.a_signed_off),
    (Role.LEAD_INSPECTOR, "ratings:moderation_queue", no_args),
    (Role.LEAD_INSPECTOR, "ratings:moderate", qa_pages.a_submitted),
    (Role.LEAD_INSPECTOR, "ratings:publish", qa_pages.a_signed_off),
    (Role.LEAD_INSPECTOR, "ratings:reopen", qa_pages.a_published),
    (Role.HMPPS_SFO, "ratings:published_list", qa_pages.published_list),
    # Benchmarking sessions.
    (Role.LEAD_INSPECTOR, "ratings:benchmark_list", no_args),
    (Role.BENCHMARK_PARTICIPANT, "ratings:benchmark_list", no_args),
    (Role.LEAD_INSPECTOR, "ratings:benchmark_create", no_args),
    (Role.LEAD_INSPECTOR, "ratings:benchmark_session", benchmark_pages.an_open_session),
    (Role.INSPECTOR, "ratings:benchmark_session", benchmark_pages.an_open_session),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_review_add",
        benchmark_pages.an_open_session,
    ),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_participants_add",
        benchmark_pages.an_open_session,
    ),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_participant_invite",
        benchmark_pages.an_open_session,
    ),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_reveal",
        benchmark_pages.a_rated_open_session,
    ),
    (
        Role.INSPECTOR,
        "ratings:benchmark_declare",
        benchmark_pages.an_open_session_review,
    ),
    (Role.INSPECTOR, "ratings:benchmark_rating", benchmark_pages.an_own_rating),
    (
        Role.INSPECTOR,
        "ratings:benchmark_standard",
        benchmark_pages.an_own_rating_standard,
    ),
    (Role.INSPECTOR, "ratings:benchmark_overall", benchmark_pages.an_own_rating),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_results",
        benchmark_pages.a_revealed_session,
    ),
    (
        Role.INSPECTOR,
        "ratings:benchmark_review_results",
        benchmark_pages.a_revealed_review,
    ),
    (
        Role.LEAD_INSPECTOR,
        "ratings:benchmark_consensus",
        benchmark_pages.a_consensus_page,
    ),
    (Role.LEAD_INSPECTOR, "ratings:benchmark_notes", benchmark_pages.a_revealed_review),
    (Role.LEAD_INSPECTOR, "ratings:benchmark_drift", benchmark_pages.a_drift),
    # Consultations: public pages, then staff pages.
    (None, "consultations:list", no_args),
    (None, "consultations:detail", consultation_pages.an_open_consultation_slug),
    (None, "consultations:detail", consultation_pages.a_published_response_slug),
    (None, "consultations:respond", consultation_pages.an_open_consultation_slug),
    (None, "consultations:respond_sent", consultation_pages.an_open_consultation_slug),
    (Role.LEAD_INSPECTOR, "consultations:staff_list", no_args),
    (
        Role.LEAD_INSPECTOR,
        "consultations:staff_detail",
        consultation_pages.a_consultation,
    ),
    (Role.ADMIN, "consultations:staff_list", no_args),
    (Role.ADMIN, "consultations:create", no_args),
    (
        Role.ADMIN,
        "consultations:staff_detail",
        consultation_pages.a_closed_consultation,
    ),
    (Role.ADMIN, "consultations:edit", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:preview", consultation_pages.a_draft_consultation),
    (Role.ADMIN, "consultations:publish", consultation_pages.a_draft_consultation),
    (
        Role.ADMIN,
        "consultations:response_publish",
        consultation_pages.a_closed_consultation,
    ),
    (Role.ADMIN, "consultations:question_add", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:question_edit", consultation_pages.a_question),
    (Role.ADMIN, "consultations:question_delete", consultation_pages.a_question),
    (Role.ADMIN, "consultations:document_add", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:document_remove", consultation_pages.a_document),
    (Role.ADMIN, "consultations:response_list", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:response_record", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:response_detail", consultation_pages.a_response),
    (Role.ADMIN, "consultations:theme_list", consultation_pages.a_consultation),
    (Role.ADMIN, "consultations:theme_edit", consultation_pages.a_theme),
    *review_pages.PAGES,
    *panel_pages.PAGES,
    *insight_pages.PAGES,
]

# Pages reached by a path rather than a name: errors.
ERROR_PATHS = [
    (None, "/no-such-page/"),
    (Role.INSPECTOR, "/users/"),
]
