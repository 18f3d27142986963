"""HMPPS sending reviews, new versions and extensions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews import bulk, permissions, selectors, services
from reviews.forms import (
    BulkUploadForm,
    ExtensionForm,
    ReviewForm,
    VersionForm,
)
from reviews.views.common import apply_errors
from sfoqa.exports import Table, csv_response
from sfoqa.wording import number_text

# HMPPS: sending reviews.


def review_new(request):
    form = ReviewForm(
        data=request.POST or None,
        files=request.FILES or None,
        organisation=request.user.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_receive(
                by=request.user,
                facts=form.facts(),
                files=form.files_to_store(),
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("reviews:received", pk=review.pk)
    context = {"form": form, "page_title": _("Send an SFO review")}
    return render(request, "reviews/review_form.html", context)


def review_received(request, pk):
    review = permissions.get_review_for_user(request.user, pk, write=True)
    context = {"review": review, "page_title": _("Review received")}
    return render(request, "reviews/review_received.html", context)


def review_version_add(request, pk):
    review = permissions.get_review_for_user(request.user, pk, write=True)
    form = VersionForm(
        data=request.POST or None,
        files=request.FILES or None,
        organisation=request.user.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            number = services.review_version_add(
                by=request.user,
                review=review,
                files=form.files_to_store(),
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s received") % {"number": number}
            )
            return redirect("reviews:detail", pk=review.pk)
    context = {"form": form, "review": review, "page_title": _("Send a new version")}
    return render(request, "reviews/review_subform.html", context)


def review_extension_add(request, pk):
    review = permissions.get_review_for_user(request.user, pk, write=True)
    form = ExtensionForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_extension_add(
                by=request.user, review=review, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Extension recorded"))
            return redirect("reviews:detail", pk=review.pk)
    context = {"form": form, "review": review, "page_title": _("Record an extension")}
    return render(request, "reviews/review_subform.html", context)


def bulk_upload(request):
    form = BulkUploadForm(data=request.POST or None, files=request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        reader = bulk.ManifestReader(
            manifest=form.cleaned_data["manifest"],
            uploads=form.cleaned_data["documents"],
            organisation=request.user.organisation,
        )
        rows = reader.read()
        errors = reader.errors
        if not errors:
            try:
                received = services.review_receive_many(
                    by=request.user, rows=rows, request=request
                )
            except ValidationError as error:
                errors = [bulk.RowError(None, "", m) for m in error.messages]
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s review received",
                        "%(count)s reviews received",
                        len(received),
                    )
                    % {"count": number_text(len(received))},
                )
                return redirect("reviews:list")
    context = {
        "form": form,
        "row_errors": errors,
        "codes": selectors.reference_codes(),
        "page_title": _("Send several reviews at once"),
    }
    return render(request, "reviews/bulk_upload.html", context)


def bulk_template(request):
    return csv_response("sfo-reviews-manifest.csv", Table(bulk.COLUMNS, []))
