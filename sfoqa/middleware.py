from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Keep pages shown to signed-in users out of every cache, browser included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
        return response


class RefuseNulMiddleware:
    """Answer 400 to a query string holding a NUL: no text has one, and
    PostgreSQL refuses it in a query, which would otherwise be a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the query string")
        return self.get_response(request)
