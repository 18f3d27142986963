"""sfoqa.lookups: a comparison with a constant written into the SQL."""

import pytest

from accounts.models import Organisation
from sfoqa.lookups import equals_constant

pytestmark = pytest.mark.django_db


def test_the_constant_is_in_the_sql_and_compares_as_a_parameter_would():
    Organisation.objects.create(name="A", kind=Organisation.Kind.PARTNER)
    Organisation.objects.create(name="B", kind=Organisation.Kind.HMPPS)
    found = Organisation.objects.filter(
        equals_constant("kind", Organisation.Kind.PARTNER)
    )
    sql, params = found.query.sql_with_params()
    assert "= 'partner'" in sql and "partner" not in params
    assert (
        list(found.values_list("name", flat=True))
        == ["A"]
        == list(
            Organisation.objects.filter(kind="partner").values_list("name", flat=True)
        )
    )
    assert not Organisation.objects.filter(equals_constant("kind", "nobody")).exists()


@pytest.mark.parametrize("value", ["it's", "a b", "x;--", "", "é", 1, None])
def test_anything_but_letters_digits_and_underscores_is_refused(value):
    with pytest.raises(ValueError, match="not a constant"):
        equals_constant("kind", value)
