from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def started_with_their_assessments(apps, schema_editor):
    """An allocation with an assessment was started when its review's
    quality assurance started (at the allocation, where no such event is
    recorded)."""
    Allocation = apps.get_model("reviews", "Allocation")
    Assessment = apps.get_model("ratings", "Assessment")
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    qa_started = ReviewEvent.objects.filter(
        review=OuterRef("review"), kind="qa_started", at__gte=OuterRef("allocated_at")
    ).order_by("at", "id")
    Allocation.objects.filter(
        Exists(Assessment.objects.filter(allocation=OuterRef("pk"))),
        started_at__isnull=True,
    ).update(
        started_at=Coalesce(Subquery(qa_started.values("at")[:1]), F("allocated_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0009_order_by_parent_id"),
        ("reviews", "0006_review_list_covering_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="started_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(started_with_their_assessments, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(
                condition=models.Q(("is_current", True), ("started_at__isnull", True)),
                fields=["inspector", "due_date", "id"],
                name="allocation_to_start_idx",
            ),
        ),
    ]
