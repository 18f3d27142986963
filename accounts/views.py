import base64
import io
import math

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import selectors, services
from accounts.audit import Action, Outcome, audit_record
from accounts.audit_labels import with_labels
from accounts.forms import (
    AuditFilterForm,
    PasswordResetForm,
    SecurityCodeForm,
    SetPasswordForm,
    SetUpSecurityCodeForm,
    SignInForm,
    UserEditForm,
    UserInviteForm,
)
from accounts.middleware import session_renew
from accounts.models import User
from accounts.permissions import get_user_for_user
from sfoqa.exports import UTC, Table, csv_response

PENDING_USER = "pending_user_id"
PENDING_SINCE = "pending_since"
PENDING_NEXT = "pending_next"
SETUP_KEY = "totp_setup_key"
PENDING_SECONDS = 10 * 60


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _pending_user(request) -> User | None:
    """The user who gave a right password and now owes a second factor."""
    since = request.session.get(PENDING_SINCE, 0)
    if timezone.now().timestamp() - since > PENDING_SECONDS:
        return None
    pk = request.session.get(PENDING_USER)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _finish(request, user: User, device=None):
    next_url = request.session.get(PENDING_NEXT) or request.GET.get("next")
    services.sign_in_complete(request=request, user=user, device=device)
    return redirect(_safe_next(request, next_url))


def _ip_cap_reached(request) -> bool:
    from axes.models import AccessFailureLog

    from accounts.audit import client_ip

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessFailureLog.objects.filter(
        ip_address=client_ip(request), attempt_time__gte=since
    ).count()
    return failures >= settings.SIGN_IN_IP_FAILURE_LIMIT


@sensitive_post_parameters("password")
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if _ip_cap_reached(request):
            return locked_out(request)
        if form.is_valid():
            return _after_password(request, form.user)
        if not getattr(request, "axes_locked_out", False) and form.has_error(
            "__all__", "invalid_login"
        ):
            tried = User.objects.filter(email=form.cleaned_data.get("email")).first()
            audit_record(
                action=Action.SIGN_IN_FAILED,
                request=request,
                actor=tried,
                outcome=Outcome.FAILED,
            )
    context = {"form": form, "page_title": _("Sign in")}
    return render(request, "accounts/sign_in.html", context)


def _after_password(request, user: User):
    if not settings.REQUIRE_2FA:
        return _finish(request, user)
    next_url = request.GET.get("next")
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = timezone.now().timestamp()
    request.session[PENDING_NEXT] = _safe_next(request, next_url)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_verify")
    return redirect("accounts:two_factor_setup")


def locked_out(request, response=None, credentials=None):
    """The page shown when an account or an address has too many failed sign-ins."""
    audit_record(
        action=Action.SIGN_IN_LOCKED,
        request=request,
        actor=User.objects.filter(email=(credentials or {}).get("email")).first(),
        outcome=Outcome.REFUSED,
    )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"page_title": _("You cannot sign in at the moment"), "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


def two_factor_setup(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign_in")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_verify")
    key = request.session.setdefault(SETUP_KEY, random_hex(20))
    form = SetUpSecurityCodeForm(data=request.POST or None, key=bytes.fromhex(key))
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_confirm(user=user, key=key, request=request)
        del request.session[SETUP_KEY]
        return _finish(request, user, device)
    device = TOTPDevice(user=user, key=key, name="setup")
    context = {
        "form": form,
        "page_title": _("Set up your authenticator app"),
        "qr_data_uri": _qr_data_uri(device.config_url),
        "key_text": _grouped(base64.b32encode(bytes.fromhex(key)).decode()),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _wait_message(refusal: dict) -> str:
    until = refusal.get("locked_until") or timezone.now()
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return ngettext(
        "Too many attempts. Wait %(seconds)s second and try again",
        "Too many attempts. Wait %(seconds)s seconds and try again",
        seconds,
    ) % {"seconds": seconds}


def two_factor_verify(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign_in")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = SecurityCodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp refuses every code, right or wrong, while it throttles.
        allowed, refusal = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            return _finish(request, user, device)
        audit_record(
            action=Action.SECOND_FACTOR_FAILED,
            request=request,
            actor=user,
            outcome=Outcome.FAILED if allowed else Outcome.REFUSED,
        )
        form.add_error(
            "code",
            _("The security code is wrong or has expired")
            if allowed
            else _wait_message(refusal),
        )
    context = {"form": form, "page_title": _("Enter your security code")}
    return render(request, "accounts/two_factor_verify.html", context)


def sign_out(request):
    was_signed_in = request.user.is_authenticated
    services.sign_out(request=request)
    if request.POST.get("reason") == "timeout":
        return redirect("accounts:timed_out")
    if was_signed_in:
        messages.success(request, _("You have signed out"))
    return redirect("accounts:sign_in")


def timed_out(request):
    minutes = settings.SESSION_IDLE_SECONDS // 60
    context = {"page_title": _("You have been signed out"), "minutes": minutes}
    return render(request, "accounts/timed_out.html", context)


def keep_alive(request):
    """Renew the session now, whenever it was last renewed."""
    session_renew(request)
    return HttpResponse(status=204)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")
    extra_context = {"page_title": gettext_lazy("Reset your password")}

    def form_valid(self, form):
        audit_record(
            action=Action.PASSWORD_RESET_REQUESTED,
            request=self.request,
            actor=User.objects.filter(email__iexact=form.cleaned_data["email"]).first(),
        )
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")
    extra_context = {"page_title": gettext_lazy("Set your password")}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(action=Action.PASSWORD_SET, request=self.request, actor=form.user)
        return response


# Administration of users.


def user_list(request):
    status = request.GET.get("status", "active")
    query = request.GET.get("q", "").strip()[:100]
    users = selectors.users_for_admin(status=status, query=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "q": query,
        "query": urlencode({"status": status, "q": query}),
        "page_title": _("Users"),
    }
    return render(request, "accounts/user_list.html", context)


def user_invite(request):
    form = UserInviteForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(
            by=request.user, request=request, **form.cleaned_data
        )
        messages.success(
            request, _("Invitation sent to %(email)s") % {"email": user.email}
        )
        return redirect("accounts:user_detail", pk=user.pk)
    context = {"form": form, "page_title": _("Invite a user")}
    return render(request, "accounts/user_form.html", context)


def user_detail(request, pk):
    user = get_user_for_user(request.user, pk)
    events = with_labels(selectors.audit_events_about(user=user)[:20])
    context = {"subject": user, "events": events, "page_title": user.full_name}
    return render(request, "accounts/user_detail.html", context)


def user_edit(request, pk):
    user = get_user_for_user(request.user, pk, write=True)
    initial = {
        "full_name": user.full_name,
        "organisation": user.organisation,
        "roles": list(user.roles),
    }
    form = UserEditForm(data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                by=request.user, user=user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved"))
            return redirect("accounts:user_detail", pk=user.pk)
    context = {"form": form, "subject": user, "page_title": _("Change user details")}
    return render(request, "accounts/user_form.html", context)


def user_deactivate(request, pk):
    user = get_user_for_user(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        try:
            services.user_deactivate(by=request.user, user=user, request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("%(name)s has been deactivated") % {"name": user.full_name}
            )
            return redirect("accounts:user_detail", pk=user.pk)
    context = {"subject": user, "error": error, "page_title": _("Deactivate user")}
    return render(request, "accounts/user_deactivate.html", context)


def user_reactivate(request, pk):
    user = get_user_for_user(request.user, pk, write=True)
    services.user_reactivate(by=request.user, user=user, request=request)
    messages.success(
        request, _("%(name)s can sign in again") % {"name": user.full_name}
    )
    return redirect("accounts:user_detail", pk=user.pk)


def user_resend_invitation(request, pk):
    user = get_user_for_user(request.user, pk, write=True)
    try:
        services.user_invitation_resend(by=request.user, user=user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Invitation sent again"))
    return redirect("accounts:user_detail", pk=user.pk)


# The audit log.


def _filtered_events(request):
    form = AuditFilterForm(data=request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, filters, selectors.audit_events(**filters)


def audit_log(request):
    form, _filters, events = _filtered_events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "events": with_labels(page.object_list),
        "query": query.urlencode(),
        "page_title": _("Audit log"),
    }
    return render(request, "accounts/audit_log.html", context)


def audit_export(request):
    _form, filters, events = _filtered_events(request)
    rows = list(selectors.audit_rows(events))
    audit_record(
        action=Action.AUDIT_EXPORTED,
        request=request,
        details={
            "filters": sorted(k for k, v in filters.items() if v),
            "rows": len(rows),
        },
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    table = Table(selectors.AUDIT_COLUMNS, rows, zone=UTC)
    return csv_response(f"audit-log-{stamp}.csv", table)
