"""
Links from QA pages to the learning library, filtered by the themes of a
review's findings, with how many items match: lessons reach the work. Here,
not in the ratings views, because panels sits above ratings.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from panels.selectors import library_count_for_themes
from ratings.models import Theme

register = template.Library()


def _link(user, themes) -> dict:
    themes = sorted({(t.pk, t.slug, t.name) for t in themes}, key=lambda t: t[2])
    if not themes:
        return {"themes": []}
    query = urlencode([("theme", slug) for _pk, slug, _name in themes])
    return {
        "themes": [name for _pk, _slug, name in themes],
        "count": library_count_for_themes(
            user=user, theme_ids=[pk for pk, _slug, _name in themes]
        ),
        "url": f"{reverse('learning:library')}?{query}",
    }


@register.inclusion_tag("panels/includes/learning_link.html", takes_context=True)
def learning_for_assessment(context, assessment):
    """From the findings already loaded with the assessment: one query."""
    themes = [t for f in assessment.findings.all() for t in f.themes.all()]
    return _link(context["user"], themes)


@register.inclusion_tag("panels/includes/learning_link.html", takes_context=True)
def learning_for_review(context, review):
    themes = Theme.objects.filter(finding__assessment__review=review).distinct()
    return _link(context["user"], list(themes))
