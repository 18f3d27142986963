"""The intake API for HMPPS systems: send a review (multipart), list the
organisation's reviews and read one's status. Token authentication only."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from accounts.audit import Action, Outcome, audit_record
from accounts.roles import Role
from reviews import rules, services
from reviews.models import (
    DeliveryUnit,
    DocumentVersion,
    MappaCategory,
    MappaLevel,
    OffenceCategory,
    Region,
    Review,
    RiskLevel,
    SupervisionType,
    crn_validator,
)
from reviews.selectors import reference_codes
from reviews.services.intake import Files, files_problems
from sfoqa.uploads import inspect_upload


def _codes(model, **kwargs):
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=model.objects.filter(is_active=True), **kwargs
    )


def _django_errors(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {
            field: [m for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": error.messages}


class ReviewCreateSerializer(serializers.Serializer):
    hmpps_reference = serializers.CharField(max_length=40)
    crn = serializers.CharField(max_length=12, help_text="Like X123456")
    region = _codes(Region)
    delivery_unit = _codes(DeliveryUnit, help_text="A PDU code in the region")
    offence_category = _codes(OffenceCategory)
    inchoate = serializers.BooleanField(default=False)
    supervision_type = _codes(SupervisionType)
    mappa_category = _codes(MappaCategory)
    mappa_level = _codes(MappaLevel, required=False, allow_null=True)
    risk_level = _codes(RiskLevel)
    offence_date = serializers.DateField()
    charge_date = serializers.DateField()
    first_court_date = serializers.DateField()
    notification_date = serializers.DateField()
    commissioned_date = serializers.DateField()
    target_date = serializers.DateField()
    submitted_date = serializers.DateField()
    reviewing_manager = serializers.CharField(max_length=200)
    countersigning_manager = serializers.CharField(max_length=200)
    conviction = serializers.ChoiceField(choices=Review.Conviction.choices)
    victim_summary_requested_on = serializers.DateField(required=False, allow_null=True)
    victim_summary_disclosed_on = serializers.DateField(required=False, allow_null=True)
    family_meeting_offered = serializers.BooleanField()
    family_meeting_held = serializers.BooleanField()
    # Empty files are refused by the upload check, as the forms refuse them.
    review_document = serializers.FileField(
        allow_empty_file=True, help_text="PDF or DOCX"
    )
    action_plan = serializers.FileField(
        required=False, allow_empty_file=True, help_text="PDF or DOCX"
    )

    def validate_hmpps_reference(self, value):
        reference = rules.normalise_reference(value)
        organisation = self.context["request"].user.organisation
        if problem := rules.reference_problem(reference, organisation=organisation):
            raise serializers.ValidationError(problem)
        return reference

    def validate_crn(self, value):
        crn = "".join(value.split()).upper()
        try:
            crn_validator(crn)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return crn

    def _inspect(self, upload):
        try:
            return inspect_upload(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_review_document(self, value):
        return self._inspect(value)

    def validate_action_plan(self, value):
        return self._inspect(value) if value else None

    def validate(self, attrs):
        problems = rules.fact_problems(attrs)
        files = Files(attrs["review_document"], attrs.get("action_plan"))
        organisation = self.context["request"].user.organisation
        problems.update(files_problems(files, organisation=organisation))
        if problems:
            raise serializers.ValidationError(
                {field: [message] for field, message in problems.items()}
            )
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number")
    file_name = serializers.CharField(source="display_name")

    class Meta:
        model = DocumentVersion
        fields = [
            "version",
            "document_type",
            "file_name",
            "kind",
            "size",
            "sha256",
            "scan_status",
            "uploaded_at",
        ]


class ReviewSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    offence_category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="hmpps_status", read_only=True)
    status = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "hmpps_reference",
            "status",
            "status_label",
            "region",
            "offence_category",
            "received_on",
            "submitted_date",
            "target_date",
            "due_date",
            "documents",
        ]

    def get_status(self, review) -> str:
        # HMPPS sees the inspectorate's own stages as one: in quality assurance.
        if review.status == Review.Status.ALLOCATED:
            return Review.Status.IN_QA
        return review.status


class ReviewPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500


class IsHmppsSender(BasePermission):
    message = "This token's user is not in the HMPPS SFO team."

    def has_permission(self, request, view):
        user = request.user
        return bool(user.has_role(Role.HMPPS_SFO) and user.organisation_id)


logger = logging.getLogger(__name__)


class ReviewApiThrottle(UserRateThrottle):
    """The per-user rate limit. It fails open when the cache fails."""

    scope = "reviews_api"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("API rate limit skipped: cache unavailable", exc_info=True)
            return True


def _outcome(status_code: int) -> str:
    if status_code < 400:
        return Outcome.OK
    if status_code in (401, 403, 404, 429):
        return Outcome.REFUSED
    return Outcome.FAILED


class AuditedApiView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated, IsHmppsSender]
    throttle_classes = [ReviewApiThrottle]

    def get_queryset(self):
        return (
            Review.objects.filter(organisation_id=self.request.user.organisation_id)
            .select_related("region", "offence_category")
            .prefetch_related("documents")
            .order_by("-received_on", "-id")
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        user = request.user if request.user.is_authenticated else None
        audit_record(
            action=Action.API_REQUEST,
            request=request._request,
            actor=user,
            object_type="reviews.review" if "pk" in kwargs else "",
            object_id=kwargs.get("pk", ""),
            outcome=_outcome(response.status_code),
            details={
                "method": request.method,
                "endpoint": request._request.resolver_match.view_name,
                "status": response.status_code,
            },
        )
        return response


class ReviewListCreate(AuditedApiView, generics.ListAPIView):
    serializer_class = ReviewSerializer
    pagination_class = ReviewPagination
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ReviewCreateSerializer},
        responses={201: ReviewSerializer},
    )
    def post(self, request, *args, **kwargs):
        incoming = ReviewCreateSerializer(
            data=request.data, context={"request": request}
        )
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        files = Files(data.pop("review_document"), data.pop("action_plan", None))
        try:
            review = services.review_receive(
                by=request.user,
                facts={name: data.get(name) for name in rules.FACT_FIELDS},
                files=files,
                channel="api",
                request=request._request,
            )
        except DjangoValidationError as error:
            return Response(_django_errors(error), status=status.HTTP_400_BAD_REQUEST)
        review = self.get_queryset().get(pk=review.pk)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewRead(AuditedApiView, generics.RetrieveAPIView):
    serializer_class = ReviewSerializer


def api_docs(request):
    context = {
        "codes": reference_codes(),
        "fields": ReviewCreateSerializer().fields,
        "page_title": _("Intake API for HMPPS systems"),
    }
    return render(request, "reviews/api_docs.html", context)
