from reviews.models import Review, ReviewEvent


def event_record(*, review: Review, kind: str, actor=None, **details) -> ReviewEvent:
    """Append one event to a review's timeline."""
    return ReviewEvent.objects.create(
        review=review, kind=kind, actor=actor, details=details
    )
