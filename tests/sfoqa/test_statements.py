"""Queries built once a process return what their querysets return."""

import pytest
from django.utils import timezone

from accounts.models import User
from reviews.models import Region, Review
from sfoqa import statements


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(statements, "_built", {})
    monkeypatch.setattr(statements, "_built_instances", {})


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


def _field_values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.fields}


@pytest.mark.django_db
def test_an_instance_is_the_one_the_orm_gives_every_value_converted(make_user):
    # A datetime, booleans and text: SQLite hands back strings and integers
    # for some of them, which the ORM's converters turn back.
    user = make_user("inspector", full_name="Ada Lovelace")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    built = []

    def by_pk():
        built.append(1)
        return User.objects.filter(pk=0)

    expected = User.objects.get(pk=user.pk)
    found = statements.fetch_instance("user", User, by_pk, [user.pk])
    assert type(found) is User and not found._state.adding
    assert found._state.db == "default"
    assert _field_values(found) == _field_values(expected)
    assert found.last_login is not None and timezone.is_aware(found.last_login)
    assert statements.fetch_instance("user", User, by_pk, [user.pk + 1000]) is None
    assert built == [1]


@pytest.mark.django_db
def test_an_instance_query_that_reads_other_tables_is_refused():
    with pytest.raises(ValueError, match="must read Review's fields"):
        statements.fetch_instance(
            "joined", Review, lambda: Review.objects.select_related("region")
        )
