from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from insights import urls as insights_urls
from insights.home import home
from panels import urls as panel_urls
from reviews import api as reviews_api
from sfoqa import views

admin.site.site_header = _("SFO quality assurance: data administration")
admin.site.site_title = _("SFO quality assurance")
# Everyone signs in through the service's own page, with its second factor.
admin.site.login = lambda request, extra_context=None: redirect(  # type: ignore[method-assign]
    "accounts:sign_in"
)

pages = (
    [
        path(
            "accessibility/",
            views.page("pages/accessibility.html"),
            name="accessibility",
        ),
        path("privacy/", views.page("pages/privacy.html"), name="privacy"),
        path("cookies/", views.page("pages/cookies.html"), name="cookies"),
    ],
    "pages",
)

# The OpenAPI schema, for signed-in people (the access policy checks the
# session); the API itself takes tokens only.
api_schema = SpectacularAPIView.as_view(
    authentication_classes=[], permission_classes=[AllowAny]
)

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include(pages)),
    path("", include("accounts.urls")),
    path("reports/", include("reports.urls")),
    path("quality-assurance/", include("ratings.urls")),
    path("reviews/", include("reviews.urls")),
    path("api/v1/", include("reviews.api_urls")),
    path("api/schema/", api_schema, name="api_schema"),
    path("api/", reviews_api.api_docs, name="api_docs"),
    path("consultations/", include("consultations.urls")),
    path("panels/", include("panels.urls")),
    path("learning/", include(panel_urls.library_patterns)),
    path("", include("insights.urls")),
    path("publications/", include(insights_urls.public_patterns)),
    path("data-admin/", admin.site.urls),
]

handler400 = "sfoqa.views.bad_request"
handler403 = "sfoqa.views.permission_denied"
handler404 = "sfoqa.views.page_not_found"
handler500 = "sfoqa.views.server_error"
