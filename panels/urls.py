from django.urls import path

from panels.views import library, panels, work

app_name = "panels"

urlpatterns = [
    path("", panels.panel_list, name="list"),
    path("new/", panels.panel_create, name="create"),
    path("representation/", panels.representation, name="representation"),
    path("progress/", work.progress, name="progress"),
    path("<int:pk>/", panels.panel_detail, name="detail"),
    path("<int:pk>/edit/", panels.panel_edit, name="edit"),
    path("<int:pk>/status/", panels.panel_status, name="status"),
    path("<int:pk>/invite/", panels.member_invite, name="member_invite"),
    path(
        "<int:pk>/members/<int:member_pk>/remove/",
        panels.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/meetings/new/", panels.meeting_schedule, name="meeting_schedule"),
    path("<int:pk>/papers/new/", panels.paper_add, name="paper_add"),
    path("<int:pk>/chronology/", panels.chronology, name="chronology"),
    path("<int:pk>/learning/new/", work.learning_add, name="learning_add"),
    path("<int:pk>/actions/new/", work.action_add, name="action_add"),
    path("<int:pk>/briefing/", panels.briefing, name="briefing"),
    path("meetings/<int:pk>/", panels.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/attendance/",
        panels.meeting_attendance,
        name="meeting_attendance",
    ),
    path("meetings/<int:pk>/minutes/", panels.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/meeting.ics",
        panels.meeting_calendar_file,
        name="meeting_calendar",
    ),
    path("papers/<int:pk>/", panels.paper_download, name="paper_download"),
    path("learning/<int:pk>/", work.learning_detail, name="learning_detail"),
    path("learning/<int:pk>/edit/", work.learning_edit, name="learning_edit"),
    path("learning/<int:pk>/approve/", work.learning_approve, name="learning_approve"),
    path(
        "learning/<int:pk>/disseminate/",
        work.learning_disseminate,
        name="learning_disseminate",
    ),
    path("findings/<int:pk>/bring/", work.finding_bring, name="finding_bring"),
    path("actions/<int:pk>/", work.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", work.action_update, name="action_update"),
    path("actions/<int:pk>/evidence/", work.action_evidence, name="action_evidence"),
    path("actions/<int:pk>/decide/", work.action_decide, name="action_decide"),
    path("evidence/<int:pk>/", work.evidence_file, name="evidence_file"),
    path("impact-checks/<int:pk>/", work.impact_check, name="impact_check"),
]

library_patterns = (
    [
        path("", library.library, name="library"),
        path("themes/", library.subscriptions, name="subscriptions"),
    ],
    "learning",
)
