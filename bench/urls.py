"""The service's URLs plus a bare view, for the benchmark only."""

from django.http import HttpResponse
from django.urls import path

try:
    from accounts.access import ACCESS, PUBLIC, Allow
except ImportError:  # a revision from before the policy moved to accounts
    from sfoqa.access import ACCESS, PUBLIC, Allow
from sfoqa.urls import *  # noqa: F403
from sfoqa.urls import urlpatterns as service_urls


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


ACCESS["bench_bare"] = Allow(get=PUBLIC)
urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *service_urls]
