"""Queries built once a process return what their querysets return."""

import pytest

from reviews.models import Region
from sfoqa import statements


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(statements, "_built", {})


@pytest.mark.django_db
def test_rows_are_the_querysets_rows_and_the_query_is_built_once(reference_data):
    built = []

    def regions():
        built.append(1)
        return Region.objects.order_by("pk").values_list("pk", "name")

    expected = list(Region.objects.order_by("pk").values_list("pk", "name"))
    assert expected
    assert statements.fetch("regions", Region, regions) == expected
    assert statements.fetch("regions", Region, regions) == expected
    assert built == [1]


@pytest.mark.django_db
def test_parameters_given_take_the_place_of_those_it_was_built_with(reference_data):
    first, second = Region.objects.order_by("pk")[:2]

    def named():
        return Region.objects.filter(name=first.name).values_list("pk")

    assert statements.fetch("named", Region, named) == [(first.pk,)]
    assert statements.fetch("named", Region, named, [second.name]) == [(second.pk,)]
    assert statements.fetch("named", Region, named, ["' OR 1=1 --"]) == []
