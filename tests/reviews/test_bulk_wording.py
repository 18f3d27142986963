"""The bulk upload says how many reviews arrived, in plain English."""

import pytest
from django.contrib.messages import get_messages

from tests.reviews.test_bulk import URL, manifest, rows_and_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "message"), [(1, "1 review received"), (2, "2 reviews received")]
)
def test_the_count_of_reviews_received_agrees_with_its_noun(
    hmpps_client, media_root, count, message
):
    rows, files = rows_and_files(count)
    response = hmpps_client.post(URL, {"manifest": manifest(rows), "documents": files})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
