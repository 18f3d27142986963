from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("export.csv", views.review_export, name="export"),
    path("send/", views.review_new, name="new"),
    path("send-several/", views.bulk_upload, name="bulk_upload"),
    path(
        "send-several/manifest-template.csv", views.bulk_template, name="bulk_template"
    ),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/received/", views.review_received, name="received"),
    path("<int:pk>/new-version/", views.review_version_add, name="version_add"),
    path("<int:pk>/extensions/add/", views.review_extension_add, name="extension_add"),
    path("<int:pk>/allocate/", views.review_allocate, name="allocate"),
    path(
        "<int:pk>/declare-interests/", views.conflict_declare, name="conflict_declare"
    ),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("documents/<int:pk>/read/", views.document_inline, name="document_inline"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("allocation/", views.allocation_list, name="allocation_list"),
    path("sampling/", views.sample_round_list, name="sample_round_list"),
    path("sampling/new/", views.sample_round_new, name="sample_round_new"),
    path("sampling/<int:pk>/", views.sample_round_detail, name="sample_round"),
    path("sampling/<int:pk>/add/", views.sample_round_add, name="sample_round_add"),
    path(
        "sampling/<int:pk>/remove/",
        views.sample_round_remove,
        name="sample_round_remove",
    ),
    path(
        "sampling/<int:pk>/discard/",
        views.sample_round_discard,
        name="sample_round_discard",
    ),
    path(
        "sampling/<int:pk>/confirm/",
        views.sample_round_confirm,
        name="sample_round_confirm",
    ),
    path(
        "sampling/<int:pk>/strata.csv",
        views.sample_round_export,
        name="sample_round_export",
    ),
]
