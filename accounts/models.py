from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from accounts.roles import Role


class AgencyType(models.Model):
    """A kind of partner agency (police, health, ...). Editable data."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency type")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HMI_PROBATION = "hmip", _("HM Inspectorate of Probation")
        HMPPS = "hmpps", _("HM Prison and Probation Service")
        PARTNER = "partner", _("Partner agency")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency_type = models.ForeignKey(
        AgencyType,
        verbose_name=_("agency type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For partner agencies only."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="partner") | models.Q(agency_type__isnull=True),
                name="agency_type_only_for_partners",
            )
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The email address is the sign-in name."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    # Bumped whenever the roles change: a session's cached copy of the roles
    # (accounts.middleware) is used only while it carries the current number.
    roles_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The names of this user's roles, read once a request (and not at all
        when the session holds a current copy, see accounts.middleware)."""
        return frozenset(group.name for group in self.groups.all())

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """Django admin is open to active administrators only."""
        return self.is_active and (self.is_superuser or Role.ADMIN in self.roles)

    def has_perm(self, perm, obj=None):
        return self.is_staff or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_staff or super().has_module_perms(app_label)


class UserSession(models.Model):
    """A session a user signed in with, so that deactivation can end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The second factor that verified the sign-in, read with the session
    # (accounts.sessions) rather than again on every request. Removing the
    # device leaves the session unverified, as django-otp would.
    totp_device = models.ForeignKey(
        "otp_totp.TOTPDevice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider_device = models.ForeignKey(
        "accounts.IdentityProviderDevice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """
    One thing that happened, for the audit trail. Append-only: the database
    refuses UPDATE and DELETE on this table (see the migration's trigger).
    Never holds free text a user typed or a secret.
    """

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in locked out")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Security code wrong")
        SECOND_FACTOR_SET_UP = "second_factor_set_up", _("Authenticator set up")
        SIGN_OUT = "sign_out", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        SIGN_IN_REFUSED = "sign_in_refused", _("Department sign-in refused")
        EMAIL_SENT = "email_sent", _("Email sent")
        EMAIL_FAILED = "email_failed", _("Email not sent")
        PERMISSION_REFUSED = "permission_refused", _("Permission refused")
        PASSWORD_RESET_REQUESTED = (
            "password_reset_requested",
            _("Password reset requested"),
        )
        PASSWORD_SET = "password_set", _("Password set")
        USER_INVITED = "user_invited", _("User invited")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        USER_CHANGED = "user_changed", _("User changed")
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        USER_DEACTIVATED = "user_deactivated", _("User deactivated")
        USER_REACTIVATED = "user_reactivated", _("User reactivated")
        AUDIT_EXPORTED = "audit_exported", _("Audit log exported")
        REVIEW_RECEIVED = "review_received", _("SFO review received")
        REVIEW_CHANGED = "review_changed", _("SFO review changed")
        REVIEW_VIEWED = "review_viewed", _("SFO review viewed")
        REVIEWS_EXPORTED = "reviews_exported", _("SFO reviews exported")
        DOCUMENT_DOWNLOADED = "document_downloaded", _("Review document downloaded")
        DOCUMENT_READ = "document_read", _("Review document read beside the form")
        SAMPLE_ROUND_DRAWN = "sample_round_drawn", _("Sample round drawn")
        SAMPLE_ROUND_CHANGED = "sample_round_changed", _("Sample round changed")
        SAMPLE_ROUND_CONFIRMED = "sample_round_confirmed", _("Sample round confirmed")
        SAMPLE_ROUND_EXPORTED = "sample_round_exported", _("Sample round exported")
        REVIEW_ALLOCATED = "review_allocated", _("SFO review allocated")
        CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
        API_REQUEST = "api_request", _("API request")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        REPORT_REQUESTED = "report_requested", _("Report requested")
        REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
        REPORT_FILES_DELETED = (
            "report_files_deleted",
            _("Report files deleted after the retention period"),
        )
        ASSESSMENT_VIEWED = "assessment_viewed", _("Assessment viewed")
        ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted")
        ASSESSMENT_RETURNED = "assessment_returned", _("Assessment returned")
        ASSESSMENT_SIGNED_OFF = "assessment_signed_off", _("Assessment signed off")
        ASSESSMENT_PUBLISHED = "assessment_published", _("Assessment published")
        ASSESSMENT_REOPENED = "assessment_reopened", _("Published assessment reopened")
        FINDINGS_CONFIRMED = "findings_confirmed", _("Findings confirmed as complete")
        # Benchmarking sessions.
        BENCHMARK_CREATED = "benchmark_created", _("Benchmarking session created")
        BENCHMARK_CHANGED = "benchmark_changed", _("Benchmarking session changed")
        BENCHMARK_REVEALED = "benchmark_revealed", _("Benchmarking session revealed")
        BENCHMARK_CONSENSUS_RECORDED = (
            "benchmark_consensus_recorded",
            _("Benchmarking consensus recorded"),
        )
        BENCHMARK_DOCUMENT_DOWNLOADED = (
            "benchmark_document_downloaded",
            _("Benchmarking document downloaded"),
        )
        BENCHMARK_RESULTS_VIEWED = (
            "benchmark_results_viewed",
            _("Benchmarking results viewed"),
        )
        # Versions of the framework and of the overall-rating policy.
        FRAMEWORK_DRAFTED = "framework_drafted", _("Draft framework version made")
        FRAMEWORK_PUBLISHED = "framework_published", _("Framework version published")
        POLICY_DRAFTED = "policy_drafted", _("Draft overall rating policy made")
        POLICY_PUBLISHED = "policy_published", _("Overall rating policy published")
        # Consultations.
        CONSULTATION_CREATED = "consultation_created", _("Consultation created")
        CONSULTATION_CHANGED = "consultation_changed", _("Consultation changed")
        CONSULTATION_PUBLISHED = "consultation_published", _("Consultation published")
        CONSULTATION_DOCUMENT_ADDED = (
            "consultation_document_added",
            _("Consultation document added"),
        )
        CONSULTATION_DOCUMENT_REMOVED = (
            "consultation_document_removed",
            _("Consultation document removed"),
        )
        CONSULTATION_DOCUMENT_DOWNLOADED = (
            "consultation_document_downloaded",
            _("Consultation document downloaded"),
        )
        CONSULTATION_RESPONSE_SUBMITTED = (
            "consultation_response_submitted",
            _("Consultation response sent online"),
        )
        CONSULTATION_RESPONSE_RECORDED = (
            "consultation_response_recorded",
            _("Consultation response recorded"),
        )
        CONSULTATION_RESPONSE_CHANGED = (
            "consultation_response_changed",
            _("Consultation response themes changed"),
        )
        CONSULTATION_RESPONSES_EXPORTED = (
            "consultation_responses_exported",
            _("Consultation responses exported"),
        )
        CONSULTATION_RESPONSE_PUBLISHED = (
            "consultation_response_published",
            _("Consultation response published"),
        )
        CONSULTATION_RETENTION_RUN = (
            "consultation_retention_run",
            _("Consultation retention run"),
        )
        # Learning panels.
        PANEL_CREATED = "panel_created", _("Learning panel set up")
        PANEL_CHANGED = "panel_changed", _("Learning panel changed")
        PANEL_VIEWED = "panel_viewed", _("Learning panel viewed")
        PANEL_MEMBER_ADDED = "panel_member_added", _("Panel member added")
        PANEL_MEETING_CHANGED = "panel_meeting_changed", _("Panel meeting changed")
        PANEL_PAPER_ADDED = "panel_paper_added", _("Panel paper added")
        PANEL_PAPER_VIEWED = "panel_paper_viewed", _("Panel paper viewed")
        PANEL_PAPER_DOWNLOADED = "panel_paper_downloaded", _("Panel paper downloaded")
        LEARNING_CHANGED = "learning_changed", _("Learning item changed")
        LEARNING_APPROVED = "learning_approved", _("Learning item approved")
        LEARNING_DISSEMINATED = "learning_disseminated", _("Learning disseminated")
        PANEL_ACTION_CHANGED = "panel_action_changed", _("Panel action changed")
        PANEL_EVIDENCE_DOWNLOADED = (
            "panel_evidence_downloaded",
            _("Panel action evidence downloaded"),
        )
        ANNUAL_REPORT_REQUESTED = "annual_report_requested", _("Annual report made")
        ANNUAL_REPORT_APPROVED = "annual_report_approved", _("Annual report approved")
        ANNUAL_REPORT_PUBLISHED = (
            "annual_report_published",
            _("Annual report published"),
        )
        DATA_EXPORTED = "data_exported", _("Data exported")

    class Outcome(models.TextChoices):
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    roles = models.CharField(_("roles"), max_length=200, blank=True)
    # No `choices` here, so each app can add its actions without a migration.
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK
    )
    # Structured facts only (field names, counts, filter keys), never free text.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        indexes = [
            models.Index(fields=["action", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"

    @property
    def action_label(self) -> str:
        labels = dict(self.Action.choices)
        return labels.get(self.action, self.action)


class FailedNotification(models.Model):
    """
    An email GOV.UK Notify refused (or never took after every retry), for
    the administrators to see. Holds the kind of email and who it was for,
    never what it said.
    """

    kind = models.CharField(_("kind of email"), max_length=60)
    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=100)
    status_code = models.PositiveIntegerField(_("Notify's answer"), default=0)
    error = models.CharField(_("reason"), max_length=300, blank=True)
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = _("failed notification")

    def __str__(self):
        return f"{self.kind} {self.reference}"

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()


class IdentityProviderDevice(Device):
    """
    The second factor the department's identity provider checked when an
    Inspectorate user signed in with it. It accepts no code of its own: it
    only lets django-otp count that sign-in as verified.
    """

    class Meta(Device.Meta):
        verbose_name = _("identity provider sign-in")

    def verify_token(self, token):
        return False
