from django.http import Http404

from accounts.models import User
from accounts.roles import Role


def get_user_for_user(user: User, pk: int, *, write: bool = False) -> User:
    """Another user's account, for administrators only; 404 for anyone else."""
    if not user.has_role(Role.ADMIN):
        raise Http404
    subject = (
        User.objects.select_related("organisation__agency_type")
        .prefetch_related("groups")
        .filter(pk=pk)
        .first()
    )
    if subject is None:
        raise Http404
    return subject
