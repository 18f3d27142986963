from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("annual-report/", views.annual_report, name="annual_report"),
    path(
        "annual-report/<int:pk>/",
        views.annual_report_detail,
        name="annual_report_detail",
    ),
    path(
        "annual-report/<int:pk>/approve/",
        views.annual_report_approve,
        name="annual_report_approve",
    ),
    path(
        "annual-report/<int:pk>/publish/",
        views.annual_report_publish,
        name="annual_report_publish",
    ),
    path(
        "annual-report/<int:pk>/data.<str:fmt>",
        views.annual_report_data,
        name="annual_report_data",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<slug:name>/", views.export_request, name="export_request"),
]

public_patterns = (
    [
        path("", views.publication_list, name="publication_list"),
        path("<int:year>/", views.publication_detail, name="publication_detail"),
        path("<int:year>/report.pdf", views.publication_pdf, name="publication_pdf"),
        path(
            "<int:year>/data.<str:fmt>", views.publication_data, name="publication_data"
        ),
    ],
    "publications",
)
