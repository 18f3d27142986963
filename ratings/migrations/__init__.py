from importlib import import_module

# Re-exported for tests that must reload data after emptying the tables.
load_ratings_reference_data = import_module("ratings.migrations.0002_framework_v1").load
