"""
Lookups of the service's own. First, integer `__in` lookups that survive
numbers no column can hold.

Django matches nothing for `pk=2**63` (the database would refuse it), but
passes such a number straight to the driver in `pk__in=[...]`, which is how
ModelMultipleChoiceField checks what a form posted: SQLite raises
OverflowError and PostgreSQL "bigint out of range". Leave the numbers out of
range out of the list instead, so the form says the choice is not valid.

And a comparison with one of the service's own constants written into the
SQL, not passed as a parameter (`equals_constant`). PostgreSQL's one plan
for a prepared statement (its generic plan, see sfoqa.prepared) knows
nothing of a parameter's value, so it cannot use a partial index whose
condition names that value (`WHERE status = 'signed_off'`): it plans such a
statement afresh every time instead, which for a joined list costs more than
running it. With the constant in the SQL, the one plan reads the partial
index, and the statement is still the same text on every request. Only for
constants in the code (a status), never for input: the value must be
letters, digits and underscores, so it needs no escaping.
"""

import re
from enum import Enum

from django.db.models import F, IntegerField
from django.db.models.lookups import Exact, In

_CONSTANT = re.compile(r"[A-Za-z0-9_]+")


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class EqualsConstant(Exact):
    """`field = 'value'`, the value in the SQL itself."""

    def __init__(self, lhs, rhs):
        value = rhs.value if isinstance(rhs, Enum) else rhs
        if not isinstance(value, str) or not _CONSTANT.fullmatch(value):
            raise ValueError(f"{value!r} is not a constant of letters and digits")
        self.constant = value
        super().__init__(lhs, value)

    def process_rhs(self, compiler, connection):
        return f"'{self.constant}'", []


def equals_constant(field: str, value: str) -> EqualsConstant:
    """A filter on `field` equal to `value`, written into the SQL."""
    return EqualsConstant(F(field), value)
