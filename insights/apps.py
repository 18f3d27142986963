from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The annual report, dashboards and exports: reads every other app."""

    name = "insights"
    verbose_name = "Insights"
