import mimetypes

from django.apps import AppConfig


class SfoqaConfig(AppConfig):
    name = "sfoqa"
    verbose_name = "SFO QA"

    def ready(self):
        # Browsers refuse ES modules served with any other type.
        mimetypes.add_type("text/javascript", ".mjs")
