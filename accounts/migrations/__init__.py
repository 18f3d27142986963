from importlib import import_module

_roles = import_module("accounts.migrations.0002_reference_data").load
_benchmark_role = import_module(
    "accounts.migrations.0004_benchmark_participant_group"
).load


# Re-exported for tests that must reload data after emptying the tables.
def load_accounts_reference_data(apps, schema_editor):
    _roles(apps, schema_editor)
    _benchmark_role(apps, schema_editor)
