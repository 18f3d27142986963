from importlib import import_module

# Re-exported for tests that must reload data after emptying the tables.
load_accounts_reference_data = import_module(
    "accounts.migrations.0002_reference_data"
).load
