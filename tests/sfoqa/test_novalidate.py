"""Errors come from the service's GOV.UK error summary, never the browser's pop-ups."""

import re
from pathlib import Path

from django import forms
from django.template import Context, Template

from sfoqa.forms import GovUKFormMixin

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORM_TAG = re.compile(r"<form\b[^>]*>")


class EmailForm(GovUKFormMixin, forms.Form):
    email = forms.EmailField()


def test_every_form_in_the_templates_leaves_checking_to_the_service():
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in FORM_TAG.findall(path.read_text(encoding="utf-8"))
        if "novalidate" not in tag
    ]
    assert not missing


def test_a_govuk_form_turns_the_browsers_checks_off():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": EmailForm()})
    )
    assert re.search(r"<form\b[^>]*novalidate", html)
    assert 'type="email"' in html
