from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_due_dates(apps, schema_editor):
    """Each live assessment takes its allocation's due date."""
    Assessment = apps.get_model("ratings", "Assessment")
    Allocation = apps.get_model("reviews", "Allocation")
    due = Allocation.objects.filter(pk=OuterRef("allocation_id")).values("due_date")
    Assessment.objects.filter(allocation__isnull=False).update(
        due_date=Subquery(due[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0007_assessment_to_publish_index"),
        ("reviews", "0005_sample_round_discarded"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="due_date",
            field=models.DateField(
                blank=True, null=True, verbose_name="quality assurance due"
            ),
        ),
        migrations.RunPython(copy_due_dates, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("session_review__isnull", True)),
                fields=["inspector", "-due_date", "-id"],
                name="assessment_mine_idx",
            ),
        ),
    ]
