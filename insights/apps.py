from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The annual report, dashboards and exports: reads every other app."""

    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        # Consultation themes name a shared theme by slug; the taxonomy is
        # ratings', which consultations may not import, so it is offered here.
        from consultations.taxonomy import taxonomy_register
        from insights.selectors import shared_themes

        taxonomy_register(shared_themes)

        # The pages of figures need the data's version: it is read with the
        # request's session, not in a statement of its own.
        from accounts.sessions import read_along
        from insights.dashboards import VERSION, version_columns

        read_along(VERSION, version_columns, pages=["home", "insights:dashboard"])
