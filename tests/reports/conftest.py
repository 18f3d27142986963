import pytest

from reports.kinds import KINDS, Rendered, ReportKind


class Builder:
    """A report builder for tests: counts its runs and can be told to fail."""

    def __init__(self):
        self.runs = 0
        self.failures_left = 0

    def __call__(self, job, progress):
        self.runs += 1
        progress(50)
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("renderer crashed")
        body = f"report for job {job.pk} with {job.params}".encode()
        return Rendered(
            content=body, filename="test-report.txt", content_type="text/plain"
        )


@pytest.fixture
def builder():
    built = Builder()
    KINDS["test_report"] = ReportKind(
        name="test_report", title="Test report", builder=built, max_attempts=3
    )
    yield built
    del KINDS["test_report"]
