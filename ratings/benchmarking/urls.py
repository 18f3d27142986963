from django.urls import path

from ratings.benchmarking import views

# Included by ratings.urls under "benchmarking/", in the ratings namespace.
urlpatterns = [
    path("", views.session_list, name="benchmark_list"),
    path("new/", views.session_create, name="benchmark_create"),
    path("agreement/", views.drift, name="benchmark_drift"),
    path("<int:pk>/", views.session_detail, name="benchmark_session"),
    path("<int:pk>/reviews/add/", views.review_add, name="benchmark_review_add"),
    path(
        "<int:pk>/participants/add/",
        views.participants_add,
        name="benchmark_participants_add",
    ),
    path(
        "<int:pk>/participants/invite/",
        views.participant_invite,
        name="benchmark_participant_invite",
    ),
    path("<int:pk>/reveal/", views.reveal, name="benchmark_reveal"),
    path("<int:pk>/results/", views.results, name="benchmark_results"),
    path("<int:pk>/report/", views.report, name="benchmark_report"),
    path(
        "reviews/<int:pk>/results/",
        views.review_results,
        name="benchmark_review_results",
    ),
    path(
        "reviews/<int:pk>/consensus/<slug:section>/",
        views.consensus,
        name="benchmark_consensus",
    ),
    path("reviews/<int:pk>/notes/", views.notes, name="benchmark_notes"),
    path("reviews/<int:pk>/start/", views.start, name="benchmark_start"),
    path("reviews/<int:pk>/declare/", views.declare, name="benchmark_declare"),
    path("reviews/<int:pk>/document/", views.document, name="benchmark_document"),
    path("ratings/<int:pk>/", views.rating, name="benchmark_rating"),
    path(
        "ratings/<int:pk>/standard/<int:number>/",
        views.standard,
        name="benchmark_standard",
    ),
    path("ratings/<int:pk>/overall/", views.overall, name="benchmark_overall"),
    path(
        "ratings/<int:pk>/autosave/<slug:section>/",
        views.autosave,
        name="benchmark_autosave",
    ),
]
