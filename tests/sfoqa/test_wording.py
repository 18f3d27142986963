"""Numbers and file sizes are written one way everywhere."""

import pytest

from sfoqa.wording import file_description, number_text, size_text


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (200, "1 KB"),
        (261_345, "261 KB"),
        (999_000, "999 KB"),
        (1_000_000, "1 MB"),
        (1_400_000, "1.4 MB"),
        (20_000_000, "20 MB"),
    ],
)
def test_file_sizes_are_written_in_kb_or_mb(size, expected):
    assert size_text(size) == expected


def test_a_file_is_described_by_its_type_and_size():
    assert file_description("pdf", 261_345) == "PDF, 261 KB"
    assert file_description("docx", 2_000) == "Word document, 2 KB"


def test_large_numbers_have_thousands_separators():
    assert number_text(10000) == "10,000"
    assert number_text(999) == "999"
