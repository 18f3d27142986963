from django.apps import AppConfig


class SfoqaConfig(AppConfig):
    name = "sfoqa"
    verbose_name = "SFO QA"
