from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_each_stratums_sample(apps, schema_editor):
    SampleEntry = apps.get_model("reviews", "SampleEntry")
    SampleStratum = apps.get_model("reviews", "SampleStratum")
    in_sample = Q(drawn=True, removed=False) | Q(added=True)
    counted = (
        SampleEntry.objects.filter(in_sample, stratum=OuterRef("pk"))
        .order_by()
        .values("stratum")
        .annotate(n=Count("*"))
        .values("n")
    )
    SampleStratum.objects.update(selected=Coalesce(Subquery(counted), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_allocation_started_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="samplestratum",
            name="selected",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_each_stratums_sample, migrations.RunPython.noop),
    ]
