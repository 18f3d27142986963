import mimetypes

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str = "default", **kwargs) -> None:
    """The database cache's table (when that is the cache) comes with migrate."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class SfoqaConfig(AppConfig):
    name = "sfoqa"
    verbose_name = "SFO QA"

    def ready(self):
        from sfoqa import lookups  # noqa: F401 - registers the overflow-safe lookup

        # Browsers refuse ES modules served with any other type.
        mimetypes.add_type("text/javascript", ".mjs")
        post_migrate.connect(create_cache_table, sender=self)
