"""The data administration site writes dates the UK way and has an icon link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "en-gb"])
def test_django_writes_dates_day_first_with_the_month_in_words(language):
    moment = datetime.datetime(2021, 3, 5, 14, 30)
    with translation.override(language):
        assert formats.date_format(moment.date()) == "5 March 2021"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 March 2021, 14:30"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


def test_admin_pages_link_an_icon_so_no_favicon_is_requested(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="data:,">' in page
    assert "SFO quality assurance: data administration" in page
