"""Read a bulk-upload manifest: every row checked before anything is saved."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reviews import rules
from reviews.forms import ReviewDataForm
from reviews.services.intake import Files
from sfoqa.uploads import clean_file_name, inspect_upload

FILE_COLUMNS = ("review_file", "action_plan_file")
COLUMNS = (*rules.FACT_FIELDS, *FILE_COLUMNS)
REQUIRED_COLUMNS = set(COLUMNS) - {"action_plan_file"}
MAX_ROWS = 500
MAX_MANIFEST_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str


class ManifestError(ValidationError):
    """A manifest that cannot be read, with the row where reading stopped."""

    def __init__(self, message, *, row: int | None = None):
        super().__init__(message)
        self.row = row


def _unreadable_row(error: csv.Error, row: int) -> ManifestError:
    if "field limit" in str(error):
        message = _(
            "Row %(row)s has a value longer than %(limit)s characters: shorten "
            "it and try again"
        ) % {"row": row, "limit": f"{csv.field_size_limit():,}"}
    else:
        message = _(
            "Row %(row)s could not be read: save the manifest as a CSV file again "
            "and try again"
        ) % {"row": row}
    return ManifestError(message, row=row)


def _records(reader) -> list[dict]:
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ManifestError(
                    _("A manifest can hold at most %(max)s reviews") % {"max": MAX_ROWS}
                )
    except csv.Error as error:
        # The header is row 1, the first review row 2.
        raise _unreadable_row(error, len(rows) + 2) from error
    return rows


def _read_rows(manifest) -> list[dict]:
    if manifest.size > MAX_MANIFEST_BYTES:
        raise ManifestError(_("The manifest must be smaller than 1 MB"))
    try:
        text = manifest.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManifestError(
            _("The manifest must be a CSV file saved as UTF-8")
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise _unreadable_row(error, 1) from error
    missing = REQUIRED_COLUMNS - set(fieldnames)
    if missing:
        raise ManifestError(
            _("The manifest is missing these columns: %(columns)s")
            % {"columns": ", ".join(sorted(missing))}
        )
    rows = _records(reader)
    if not rows:
        raise ManifestError(_("The manifest has no reviews in it"))
    return rows


def _inspect_files(uploads) -> tuple[dict, dict]:
    """Each uploaded file by its cleaned name: inspected, or why it was refused."""
    inspected, refused = {}, {}
    for upload in uploads:
        name = clean_file_name(upload.name)
        try:
            inspected[name] = inspect_upload(upload)
        except ValidationError as error:
            refused[name] = error.messages[0]
    return inspected, refused


class ManifestReader:
    """Turns a manifest and its files into rows to receive, or row errors."""

    def __init__(self, *, manifest, uploads, organisation):
        self.manifest = manifest
        self.organisation = organisation
        self.inspected, self.refused = _inspect_files(uploads)
        self.errors: list[RowError] = []
        self.seen_references: dict[str, int] = {}
        self.seen_files: dict[str, int] = {}
        self.used_files: set[str] = set()

    def read(self) -> list[tuple[dict, Files]]:
        try:
            rows = _read_rows(self.manifest)
        except ManifestError as error:
            self.errors.append(RowError(error.row, _("Manifest"), error.messages[0]))
            return []
        parsed = [self._row(number, row) for number, row in enumerate(rows, start=2)]
        for name in sorted(set(self.inspected) | set(self.refused)):
            if name not in self.used_files:
                self._error(
                    None,
                    "documents",
                    _("%(name)s is not named in the manifest") % {"name": name},
                )
        return [row for row in parsed if row is not None]

    def _error(self, row, column, message):
        self.errors.append(RowError(row, column, str(message)))

    def _row(self, number: int, row: dict):
        form = ReviewDataForm(
            data={k: v for k, v in row.items() if k in rules.FACT_FIELDS},
            organisation=self.organisation,
        )
        valid = form.is_valid()
        for column, messages in form.errors.items():
            for message in messages:
                self._error(number, column, message)
        files = self._files(number, row)
        if not valid or files is None:
            return None
        return self._unique(number, form.facts(), files)

    def _file(self, number, row, column):
        name = clean_file_name(row.get(column) or "")
        if not name:
            if column == "review_file":
                self._error(number, column, _("Enter the file name of the review"))
            return None
        self.used_files.add(name)
        if name in self.refused:
            self._error(number, column, f"{name}: {self.refused[name]}")
            return None
        if name not in self.inspected:
            self._error(
                number,
                column,
                _("%(name)s was not among the selected files") % {"name": name},
            )
            return None
        return self.inspected[name]

    def _files(self, number, row) -> Files | None:
        review = self._file(number, row, "review_file")
        plan = self._file(number, row, "action_plan_file")
        if review is None or (row.get("action_plan_file") and plan is None):
            return None
        files = Files(review_document=review, action_plan=plan)
        for column, inspected in zip(FILE_COLUMNS, (review, plan), strict=True):
            if inspected is None:
                continue
            if (earlier := self.seen_files.get(inspected.sha256)) is not None:
                self._error(
                    number,
                    column,
                    _("The same file is already in row %(row)s") % {"row": earlier},
                )
                return None
            self.seen_files[inspected.sha256] = number
            if problem := rules.file_problem(
                inspected.sha256, organisation=self.organisation
            ):
                self._error(number, column, problem)
                return None
        return files

    def _unique(self, number, facts, files):
        reference = facts["hmpps_reference"]
        if (earlier := self.seen_references.get(reference)) is not None:
            self._error(
                number,
                "hmpps_reference",
                _("The same reference is already in row %(row)s") % {"row": earlier},
            )
            return None
        self.seen_references[reference] = number
        return facts, files
