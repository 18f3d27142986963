"""
Integer `__in` lookups that survive numbers no column can hold.

Django matches nothing for `pk=2**63` (the database would refuse it), but
passes such a number straight to the driver in `pk__in=[...]`, which is how
ModelMultipleChoiceField checks what a form posted: SQLite raises
OverflowError and PostgreSQL "bigint out of range". Leave the numbers out of
range out of the list instead, so the form says the choice is not valid.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


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
