from importlib import import_module

# Re-exported for tests that must reload data after emptying the tables.
load_reviews_reference_data = import_module(
    "reviews.migrations.0002_reference_data"
).load
