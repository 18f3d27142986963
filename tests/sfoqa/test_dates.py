"""Dates and times in GOV.UK style, in UK time, and UK calendar arithmetic."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from sfoqa import dates

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2021, 3, 5, 20, 37, tzinfo=UTC), "8:37pm"),
        (datetime(2021, 3, 5, 9, 0, tzinfo=UTC), "9am"),
        (datetime(2021, 3, 5, 12, 0, tzinfo=UTC), "midday"),
        (datetime(2021, 3, 5, 0, 0, tzinfo=UTC), "midnight (00:00)"),
        (datetime(2021, 3, 5, 0, 30, tzinfo=UTC), "12:30am"),
        (datetime(2021, 3, 5, 12, 5, tzinfo=UTC), "12:05pm"),
        # 11pm UTC in summer is midnight in the UK.
        (datetime(2021, 6, 6, 23, 0, tzinfo=UTC), "midnight (00:00)"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_times_are_written_the_gov_uk_way_in_uk_time(moment, expected):
    assert dates.format_time(moment) == expected


def test_midnight_says_which_day_it_begins():
    closed = datetime(2021, 3, 5, 0, 0, tzinfo=LONDON)
    assert dates.format_date_time(closed) == "midnight (00:00) on 5 March 2021"


def test_a_date_and_time_name_the_weekday_when_asked():
    meeting = datetime(2021, 3, 5, 14, 30, tzinfo=LONDON)
    assert dates.format_date_time(meeting) == "2:30pm on 5 March 2021"
    assert (
        dates.format_date_time(meeting, weekday=True) == "2:30pm on Friday 5 March 2021"
    )


def test_a_late_evening_in_summer_is_dated_by_the_uk_calendar():
    late = datetime(2021, 6, 6, 23, 30, tzinfo=UTC)  # 12:30am on 7 June in the UK
    assert dates.format_date(late) == "7 June 2021"
    assert dates.uk_date_of(late) == date(2021, 6, 7)


def test_month_names_follow_the_active_language_though_kept_once_a_language():
    day = date(2021, 6, 7)
    assert dates.format_date(day) == "7 June 2021"
    with translation.override("de"):
        assert dates.format_date(day) == "7 Juni 2021"
    assert dates.format_date(day) == "7 June 2021"


def test_every_template_has_the_filters_without_loading_them():
    rendered = Template(
        "{{ when|uk_date }} | {{ when|uk_time }} | {{ when|uk_date_time }}"
        " | {{ day|uk_short_date }} | {{ size|file_size }} | {{ big|number }}"
    ).render(
        Context(
            {
                "when": datetime(2021, 3, 5, 12, 0, tzinfo=LONDON),
                "day": date(2021, 3, 5),
                "size": 261_345,
                "big": 10000,
            }
        )
    )
    assert rendered == (
        "5 March 2021 | midday | midday on 5 March 2021 | 5 Mar 2021 | 261 KB | 10,000"
    )


def test_empty_values_show_nothing():
    assert dates.format_date(None) == ""
    assert dates.format_time(None) == ""
    assert dates.format_date_time(None) == ""


@pytest.mark.parametrize(
    "value",
    [
        date(2021, 3, 5),
        datetime(2024, 6, 30, 23, 30, tzinfo=UTC),  # 1 July in the UK
        datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
        None,
        "",
    ],
)
def test_a_pages_date_formatter_writes_what_format_date_writes(value):
    assert dates.date_formatter()(value) == dates.format_date(value)


def test_a_date_formatter_keeps_the_language_it_was_made_in(monkeypatch):
    monkeypatch.setattr(dates, "_month_names", lambda language: ("", *[language] * 12))
    with translation.override("en"):
        english = dates.date_formatter()
    with translation.override("fr"):
        assert english(date(2021, 3, 5)) == "5 en 2021"
        assert dates.format_date(date(2021, 3, 5)) == "5 fr 2021"
