from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    # Staff pages first: their prefix is never a consultation's address.
    path("manage/", views.staff_list, name="staff_list"),
    path("manage/new/", views.consultation_create, name="create"),
    path("manage/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("manage/<int:pk>/change/", views.consultation_edit, name="edit"),
    path("manage/<int:pk>/preview/", views.consultation_preview, name="preview"),
    path("manage/<int:pk>/publish/", views.consultation_publish, name="publish"),
    path(
        "manage/<int:pk>/publish-response/",
        views.response_publish,
        name="response_publish",
    ),
    path("manage/<int:pk>/questions/add/", views.question_add, name="question_add"),
    path(
        "manage/questions/<int:pk>/change/", views.question_edit, name="question_edit"
    ),
    path(
        "manage/questions/<int:pk>/remove/",
        views.question_delete,
        name="question_delete",
    ),
    path("manage/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path(
        "manage/documents/<int:pk>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("manage/<int:pk>/responses/", views.response_list, name="response_list"),
    path(
        "manage/<int:pk>/responses/record/",
        views.response_record,
        name="response_record",
    ),
    path(
        "manage/<int:pk>/responses/export.csv",
        views.response_export_csv,
        name="response_export_csv",
    ),
    path(
        "manage/<int:pk>/responses/export.xlsx",
        views.response_export_xlsx,
        name="response_export_xlsx",
    ),
    path("manage/responses/<int:pk>/", views.response_detail, name="response_detail"),
    path(
        "manage/responses/<int:pk>/accept/",
        views.response_accept,
        name="response_accept",
    ),
    path("manage/<int:pk>/themes/", views.theme_list, name="theme_list"),
    path("manage/themes/<int:pk>/change/", views.theme_edit, name="theme_edit"),
    # Public pages.
    path("", views.consultation_list, name="list"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/", views.consultation_detail, name="detail"),
    path("<slug:slug>/respond/", views.respond, name="respond"),
    path("<slug:slug>/respond/check/", views.respond_check, name="respond_check"),
    path("<slug:slug>/respond/sent/", views.respond_sent, name="respond_sent"),
]
