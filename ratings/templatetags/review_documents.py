"""The review document beside an assessment: a newer version HMPPS sent, and
the document viewer of the rating forms."""

from django import template

from ratings import selectors

register = template.Library()


@register.inclusion_tag("ratings/includes/newer_version.html", takes_context=True)
def newer_version_banner(context, assessment):
    """A banner when HMPPS sent a newer version than the one rated."""
    user = context["user"]
    return {
        "assessment": assessment,
        "newer": selectors.newer_review_document(assessment),
        "rating_it": assessment.inspector_id == user.pk and assessment.is_editable,
    }
