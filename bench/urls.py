"""The service's URLs plus a bare view, for the benchmark only."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

try:
    from accounts.access import ACCESS, PUBLIC, SIGNED_IN, Allow
except ImportError:  # a revision from before the policy moved to accounts
    from sfoqa.access import ACCESS, PUBLIC, SIGNED_IN, Allow
from sfoqa.urls import *  # noqa: F403
from sfoqa.urls import urlpatterns as service_urls


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def shell(request):
    return render(request, "base.html", {"page_title": "Benchmark"})


ACCESS["bench_bare"] = Allow(get=PUBLIC)
# The same view for a signed-in user: the floor under every signed-in page
# (session, user and the middleware's per-user work, no template).
ACCESS["bench_signed_in"] = Allow(get=SIGNED_IN)
# The service's page shell (base.html: header, navigation, footer) with no
# content, for a signed-in user: what a signed-in page costs before its own.
ACCESS["bench_shell"] = Allow(get=SIGNED_IN)
urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/signed-in/", bare, name="bench_signed_in"),
    path("bench/shell/", shell, name="bench_shell"),
    *service_urls,
]
