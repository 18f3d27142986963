"""Queries built once a process return what their querysets return."""

from weakref import WeakKeyDictionary

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from reviews.models import Region, Review
from sfoqa import statements


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(statements, "_built", {})
    monkeypatch.setattr(statements, "_built_instances", {})
    monkeypatch.setattr(statements, "_layouts", {})
    monkeypatch.setattr(statements, "_instance_layouts", {})
    monkeypatch.setattr(statements, "_converters_known", WeakKeyDictionary())


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
def test_converters_are_worked_out_once_a_connection_and_list_of_columns(
    make_user, monkeypatch
):
    user = make_user("inspector")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    worked_out = []
    converters_of = statements._converters_of

    def counted(conn, columns):
        worked_out.append((conn, id(columns)))
        return converters_of(conn, columns)

    monkeypatch.setattr(statements, "_converters_of", counted)

    def by_pk():
        return User.objects.filter(pk=0)

    for _ in range(3):
        found = statements.fetch_instance("user", User, by_pk, [user.pk])
        # Converted on every read, not only the one that worked them out.
        assert timezone.is_aware(found.last_login)
    assert worked_out == [(connection, worked_out[0][1])]
    # Another list of the same columns is worked out for itself.
    columns = list(statements._built_instances[("user", "default")][2])
    row = User.objects.filter(pk=user.pk).values_list(
        *[f.attname for f in User._meta.concrete_fields]
    )
    with connection.cursor() as cursor:
        cursor.execute(*row.query.sql_with_params())
        again = statements.instance(User, "default", columns, cursor.fetchone())
    assert _field_values(again) == _field_values(found)
    assert len(worked_out) == 2 and worked_out[1][1] == id(columns)


@pytest.mark.django_db
def test_an_instance_query_that_reads_other_tables_is_refused():
    with pytest.raises(ValueError, match="must read Review's fields"):
        statements.fetch_instance(
            "joined", Review, lambda: Review.objects.select_related("region")
        )


def _counted(build):
    calls = []

    def counting(**inputs):
        calls.append(inputs)
        return build(**inputs)

    return counting, calls


def _users_from(*, low):
    return (
        User.objects.filter(pk__gte=low)
        .order_by("pk")
        .values("pk", "email", "last_login", "is_active")
    )


@pytest.mark.django_db
def test_values_are_the_querysets_and_its_sql_is_built_only_to_learn(make_user):
    users = [make_user("inspector") for _ in range(3)]
    User.objects.update(last_login=timezone.now())
    build, calls = _counted(_users_from)
    for user in [*users, users[0]]:
        expected = list(_users_from(low=user.pk))
        found = statements.values(User, build, {"low": user.pk}, name="users from")
        assert found == expected
    # Built with the first inputs and with others, then only run.
    assert len(calls) == 2 and calls[0] == {"low": users[0].pk}
    assert found[0]["last_login"] is not None
    assert timezone.is_aware(found[0]["last_login"])  # converted as the ORM does


@pytest.mark.django_db
def test_inputs_of_equal_value_each_go_in_their_own_places(make_user):
    users = [make_user("inspector") for _ in range(3)]

    def between(*, low, high):
        return User.objects.filter(pk__gte=low, pk__lte=high).values("pk")

    same = users[1].pk
    assert statements.values(User, between, {"low": same, "high": same}, name="b") == [
        {"pk": same}
    ]
    wide = statements.values(
        User, between, {"low": users[0].pk, "high": users[2].pk}, name="b"
    )
    assert sorted(row["pk"] for row in wide) == [user.pk for user in users]


@pytest.mark.django_db
def test_an_input_the_orm_transforms_is_run_through_the_orm_each_time(make_user):
    make_user("inspector")
    year = timezone.now().year

    def joined_in(*, year):
        return User.objects.filter(date_joined__year=year).values("pk")

    build, calls = _counted(joined_in)
    assert statements.values(User, build, {"year": year}, name="joined")
    assert statements.values(User, build, {"year": year - 5}, name="joined") == []
    assert not [v for v in statements._layouts.values() if v is not None]
    assert len(calls) == 2 + 1 + 1  # learning twice, then each run


@pytest.mark.django_db
def test_an_input_of_none_is_run_through_the_orm(make_user):
    user = make_user("inspector")

    def of(*, organisation_id):
        return User.objects.filter(organisation_id=organisation_id).values("pk")

    unset = list(User.objects.filter(organisation_id=None).values("pk"))
    assert statements.values(User, of, {"organisation_id": None}, name="of") == unset
    own = statements.values(
        User, of, {"organisation_id": user.organisation_id}, name="of"
    )
    assert {"pk": user.pk} in own


@pytest.mark.django_db
def test_a_list_of_ids_given_as_named_inputs_is_learnt_in_its_order(make_user):
    users = [make_user("inspector") for _ in range(12)]

    def emails(**ids):
        return User.objects.filter(pk__in=list(ids.values())).values("pk", "email")

    def named(chosen):
        return {f"id_{index}": user.pk for index, user in enumerate(chosen)}

    # Twelve inputs: id_10 sorts before id_2, but the build reads them in
    # the order they are given.
    for chosen in (users, users[::-1], users[6:] + users[:6]):
        found = statements.values(User, emails, named(chosen), name="emails")
        assert sorted(found, key=lambda row: row["pk"]) == [
            {"pk": user.pk, "email": user.email} for user in users
        ]
    few = statements.values(User, emails, named(users[:1] * 12), name="emails")
    assert few == [{"pk": users[0].pk, "email": users[0].email}]
    assert [layout for layout in statements._layouts.values() if layout]


def _reviews_from(*, low):
    return (
        Review.objects.filter(pk__gte=low)
        .select_related("region", "organisation", "inspector")
        .order_by("pk")
    )


def _same(one, other) -> bool:
    """Two model instances with the same class and the same field values."""
    return type(one) is type(other) and all(
        getattr(one, field.attname) == getattr(other, field.attname)
        for field in type(one)._meta.concrete_fields
    )


@pytest.mark.django_db
def test_instances_are_the_querysets_with_their_related_and_built_to_learn(
    make_user,
):
    from tests.reviews.factories import ReviewFactory

    inspector = make_user("inspector")
    reviews = [ReviewFactory(inspector=inspector), ReviewFactory(), ReviewFactory()]
    build, calls = _counted(_reviews_from)
    for review in [*reviews, reviews[0]]:
        expected = list(_reviews_from(low=review.pk))
        found = statements.instances(Review, build, {"low": review.pk}, name="from")
        assert len(found) == len(expected)
        for one, other in zip(found, expected, strict=True):
            assert _same(one, other)
            # Their select_related objects, read with them: no query.
            assert Review.region.is_cached(one) and _same(one.region, other.region)
            assert _same(one.organisation, other.organisation)
            assert Review.inspector.is_cached(one)
        assert found[0]._state.adding is False and found[0]._state.db == "default"
    assert found[0].inspector == inspector
    assert found[1].inspector is None  # no row to join: None, as the ORM gives
    assert timezone.is_aware(found[0].received_at)  # converted as the ORM does
    assert len(calls) == 2


@pytest.mark.django_db
def test_an_id_beyond_a_columns_range_matches_nothing_as_in_the_orm(make_user):
    user = make_user("inspector")

    def by_id(*, pk):
        return User.objects.filter(pk=pk)

    assert statements.instances(User, by_id, {"pk": user.pk}, name="u")[0] == user
    assert statements.instances(User, by_id, {"pk": 10**20}, name="u") == []
    assert statements.values(User, _users_from, {"low": -(10**20)}, name="f")


@pytest.mark.django_db
def test_prefetched_objects_are_read_as_prefetch_related_leaves_them(
    make_user, django_assert_num_queries
):
    from tests.reviews.factories import ReviewFactory

    inspector = make_user("inspector")
    reviews = ReviewFactory.create_batch(2, inspector=inspector)
    statements.prefetched(inspector, "allocated_reviews", reviews)
    with django_assert_num_queries(0):
        assert list(inspector.allocated_reviews.all()) == reviews
        assert all(review.inspector is inspector for review in reviews)


@pytest.mark.django_db
def test_a_number_beyond_its_column_matches_nothing_and_teaches_nothing(
    reference_data,
):
    from ratings.models import Standard

    def by_number(*, number):
        return Standard.objects.filter(number=number)

    # PostgreSQL's integer column stops at 2**31 - 1: the ORM answers a
    # larger number as no rows, without a query, and learns nothing from it.
    assert statements.instances(Standard, by_number, {"number": 2**31}, name="n") == []
    found = statements.instances(Standard, by_number, {"number": 1}, name="n")
    assert [s.pk for s in found] == list(
        Standard.objects.filter(number=1).values_list("pk", flat=True)
    )
    assert found and all(statements._instance_layouts.values())
