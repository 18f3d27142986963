"""
The page catalogue: every page of the service, with the role that opens it.
Each feature adds its pages here; the browser suite runs axe on all of them.
Entries are (role or None for anonymous, URL name, URL kwargs maker).
"""

from accounts.roles import Role


def no_args(users):
    return {}


def an_inspector(users):
    return {"pk": users[Role.INSPECTOR].pk}


PAGES = [
    (None, "accounts:sign_in", no_args),
    (None, "accounts:password_reset", no_args),
    (None, "accounts:password_reset_sent", no_args),
    (None, "accounts:password_set_done", no_args),
    (None, "accounts:timed_out", no_args),
    (None, "pages:accessibility", no_args),
    (None, "pages:privacy", no_args),
    (None, "pages:cookies", no_args),
    *[(role, "home", no_args) for role in Role],
    (Role.ADMIN, "accounts:user_list", no_args),
    (Role.ADMIN, "accounts:user_invite", no_args),
    (Role.ADMIN, "accounts:user_detail", an_inspector),
    (Role.ADMIN, "accounts:user_edit", an_inspector),
    (Role.ADMIN, "accounts:user_deactivate", an_inspector),
    (Role.ADMIN, "accounts:audit_log", no_args),
]

# Pages reached by a path rather than a name: errors.
ERROR_PATHS = [
    (None, "/no-such-page/"),
    (Role.INSPECTOR, "/users/"),
]
