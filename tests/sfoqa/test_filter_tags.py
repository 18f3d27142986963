"""Selected-filter tags for any list form: text people read, links without."""

from django import forms
from django.http import QueryDict

from sfoqa.forms import GovUKDateField, GovUKFilterMixin


class ListForm(GovUKFilterMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), ("a", "Apples")]
    )
    late = forms.BooleanField(label="Late only", required=False)
    tags = forms.MultipleChoiceField(
        label="Tags", required=False, choices=[("x", "Ex"), ("y", "Why")]
    )
    since = GovUKDateField(label="Since", required=False)
    sort = forms.ChoiceField(label="Sort", required=False, choices=[("new", "New")])


def test_each_value_is_a_tag_linking_to_the_list_without_it():
    query = QueryDict(
        "kind=a&late=on&tags=x&tags=y&since_0=5&since_1=3&since_2=2021&sort=new"
        "&after=abc"
    )
    selected = ListForm(data=query).selected_filters(query)
    assert [(s["heading"], [i["text"] for i in s["items"]]) for s in selected] == [
        ("Kind", ["Apples"]),
        ("Late only", ["Yes"]),
        ("Tags", ["Ex", "Why"]),
        ("Since", ["5 March 2021"]),
    ]
    links = {i["text"]: i["href"] for s in selected for i in s["items"]}
    base = "late=on&tags=x&tags=y&since_0=5&since_1=3&since_2=2021&sort=new"
    assert links["Apples"] == "?" + base
    assert links["Ex"].startswith("?kind=a&late=on&tags=y&since_0")
    assert "since_" not in links["5 March 2021"]
    assert all("after=" not in href for href in links.values())


def test_an_invalid_or_empty_form_has_no_tags():
    assert ListForm(data=QueryDict("since_0=40")).selected_filters(QueryDict()) == []
    assert ListForm().selected_filters(QueryDict()) == []
