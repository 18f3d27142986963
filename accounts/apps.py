from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.core.signals import request_finished

        # Registers the start-up check that Notify has every template.
        from accounts import notify  # noqa: F401
        from accounts.sessions import forget_read_along

        # What was read with a request's session is the request's alone.
        request_finished.connect(forget_read_along, dispatch_uid="forget_read_along")
