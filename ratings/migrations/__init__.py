from importlib import import_module

_framework_v1 = import_module("ratings.migrations.0002_framework_v1")
_versions_published = import_module(
    "ratings.migrations.0005_framework_and_policy_versions_published"
)


def load_ratings_reference_data(apps, schema_editor):
    """The first framework and policy, published (for tests that empty tables)."""
    _framework_v1.load(apps, schema_editor)
    _versions_published.publish_existing(apps, schema_editor)
