from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.audit import Action, audit_record
from accounts.models import User
from accounts.roles import Role


@transaction.atomic
def api_token_issue(*, user: User, replace: bool = False) -> Token:
    """Give an HMPPS system user its API token (a new one when `replace`)."""
    if not (user.is_active and user.has_role(Role.HMPPS_SFO) and user.organisation_id):
        raise ValidationError("API tokens are for active HMPPS SFO team users only.")
    if replace:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(action=Action.API_TOKEN_CREATED, actor=None, target=user)
    return token
