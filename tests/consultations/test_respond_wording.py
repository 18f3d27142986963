"""The response form says which questions must be answered, and each error
names its question and links to it."""

import re

import pytest

from tests.consultations.test_respond import (
    _answers,
    _url,
    consultation,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def test_optional_questions_say_so_and_the_intro_asks_for_the_rest(
    client,
    consultation,  # noqa: F811
):
    page = client.get(_url("respond", consultation)).content.decode()
    assert "Which agencies should attend? (optional)" in page
    assert "How well would panels work? (optional)" not in page
    assert "as many questions as you like" not in page
    assert "Answer every question that is not marked as optional" in page


def test_each_missing_answer_names_its_question_and_links_to_its_first_input(
    client,
    consultation,  # noqa: F811
):
    q1, q2, _q3 = consultation.questions.order_by("position")
    data = _answers(consultation, **{q1.field_name: "", q2.field_name: ""})
    data["audience"] = ""
    page = client.post(_url("respond", consultation), data).content.decode()
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    links = {
        message: target
        for target, message in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    }
    assert links == {
        "Choose which part you are responding to": "id_audience_1",
        "Answer the question &quot;How well would panels work?&quot;": (
            f"id_{q1.field_name}"
        ),
        "Choose an answer to &quot;Which best describes you?&quot;": (
            f"id_{q2.field_name}_1"
        ),
    }
    for target in links.values():
        assert f'id="{target}"' in page
