"""The role of invited HMPPS staff who take part in benchmarking sessions."""

from django.db import migrations

ROLE = "benchmark_participant"


def load(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_append_only")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
