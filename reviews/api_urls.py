from django.urls import path

from reviews import api

app_name = "reviews_api"

urlpatterns = [
    path("reviews/", api.ReviewListCreate.as_view(), name="list"),
    path("reviews/<int:pk>/", api.ReviewRead.as_view(), name="detail"),
]
