"""
Framework and policy versions are drafts until published, and published ones
never change. Every version that exists already may have been used: each is
published as of when it was made.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def publish_existing(apps, schema_editor):
    for name in ("Framework", "OverallPolicy"):
        model = apps.get_model("ratings", name)
        for version in model.objects.filter(published_at__isnull=True):
            version.published_at = version.created_at
            version.save(update_fields=["published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0004_benchmark_numbering_seed_and_declarations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="framework",
            name="based_on",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ratings.framework",
                verbose_name="copied from",
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published"),
        ),
        migrations.AddField(
            model_name="framework",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="overallpolicy",
            name="based_on",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ratings.overallpolicy",
                verbose_name="copied from",
            ),
        ),
        migrations.AddField(
            model_name="overallpolicy",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published"),
        ),
        migrations.AddField(
            model_name="overallpolicy",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
