"""Every catalogued panel page opens for its role (the browser suite then
runs axe on each)."""

import pytest
from django.urls import reverse

from tests.panels.pages import PAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "name", "args"), PAGES)
def test_each_catalogued_page_opens(role, name, args, users, client_for):
    url = reverse(name, kwargs=args(users))
    assert client_for(role).get(url).status_code == 200
