"""
How a request finds its signed-in user: Django's model backend, taking the
user that the session store read with the session (accounts.sessions) or,
failing that, reading it with a statement built once a process
(sfoqa.statements) rather than by the ORM each time. Signing in,
permissions and the rule that an inactive user is nobody are the model
backend's own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.sessions import read_with_session
from sfoqa.statements import fetch_instance


def _by_pk():
    return get_user_model()._default_manager.filter(pk=0)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        pk = model._meta.pk.to_python(user_id)
        user = read_with_session(pk)
        if user is None:
            user = fetch_instance("signed-in user", model, _by_pk, [pk])
        return user if user is not None and self.user_can_authenticate(user) else None
