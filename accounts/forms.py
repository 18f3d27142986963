from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP

from accounts.models import AuditEvent, Organisation, User
from accounts.notify import email_send
from accounts.roles import Role
from sfoqa.forms import GovUKDateField, GovUKFilterMixin, GovUKFormMixin

WRONG_DETAILS = _("Enter a correct email address and password")


class SignInForm(GovUKFormMixin, forms.Form):
    submit_label = _("Sign in")

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your email address")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("password")
        if email and password:
            # The same message whether or not the account exists.
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None:
                raise ValidationError(WRONG_DETAILS, code="invalid_login")
        return self.cleaned_data


class SecurityCodeForm(GovUKFormMixin, forms.Form):
    submit_label = _("Continue")

    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code shown in your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={
            "required": _("Enter the security code"),
            "min_length": _("Security code must be 6 digits"),
            "max_length": _("Security code must be 6 digits"),
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise ValidationError(_("Security code must only include numbers"))
        return code


class SetUpSecurityCodeForm(SecurityCodeForm):
    submit_label = _("Confirm and sign in")

    def __init__(self, *args, key: bytes, **kwargs):
        self.key = key
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = super().clean_code()
        # Accept the neighbouring 30-second steps, as django-otp does.
        if not TOTP(self.key).verify(int(code), tolerance=1):
            raise ValidationError(_("The security code is wrong or has expired"))
        return code


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    submit_label = _("Send reset link")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].error_messages["required"] = _("Enter your email address")

    def save(self, **kwargs):
        # Links in emails point at the configured address, never the Host header.
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)

    def send_mail(
        self, subject_template_name, email_template_name, context, *args, **kwargs
    ):
        subject = loader.render_to_string(subject_template_name, context)
        email_send(
            kind="password_reset",
            to=context["email"],
            subject="".join(subject.splitlines()),
            body=loader.render_to_string(email_template_name, context),
            recipient_id=context["user"].pk,
        )


class SetPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. Avoid common words and your name."
        )
        self.fields["new_password2"].label = _("Confirm new password")


# HMPPS sends the reviews the inspectorate judges: nobody may be on both sides.
INSPECTORATE_ROLES = frozenset({Role.INSPECTOR, Role.LEAD_INSPECTOR})


def role_choices():
    return Role.choices


class UserForm(GovUKFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the user's full name")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.select_related("agency_type"),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose the user's organisation")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply"),
        error_messages={"required": _("Choose at least one role")},
    )

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        known = set(Group.objects.filter(name__in=roles).values_list("name", flat=True))
        if known != set(roles):
            raise ValidationError(_("Choose roles from the list"))
        if Role.HMPPS_SFO in roles and INSPECTORATE_ROLES.intersection(roles):
            raise ValidationError(
                _(
                    "A user cannot be in the HMPPS SFO team and be an inspector "
                    "or lead inspector: choose one or the other"
                )
            )
        return roles


class UserInviteForm(UserForm):
    submit_label = _("Send invitation")

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the user's email address"),
            "invalid": _(
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
    )
    field_order = ["email", "full_name", "organisation", "roles"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise ValidationError(_("A user with this email address already exists"))
        return email


class UserEditForm(UserForm):
    submit_label = _("Save changes")


class AuditFilterForm(GovUKFilterMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEvent.Action.choices],
    )
    actor = forms.CharField(
        label=_("Email address of who did it"), required=False, max_length=254
    )
    date_from = GovUKDateField(
        label=_("From"), error_label=_("The from date"), required=False
    )
    date_to = GovUKDateField(
        label=_("To"), error_label=_("The to date"), required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The to date must be the same as or after the from date")
            )
        return data
