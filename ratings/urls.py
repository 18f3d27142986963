from django.urls import include, path

from ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.my_assessments, name="my_assessments"),
    path("start/<int:review_pk>/", views.start, name="start"),
    path("<int:pk>/", views.task_list_view, name="task_list"),
    path("<int:pk>/standard/<int:number>/", views.standard, name="standard"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/findings/add/", views.finding_edit, name="finding_add"),
    path(
        "<int:pk>/findings/<int:finding_pk>/", views.finding_edit, name="finding_edit"
    ),
    path(
        "<int:pk>/findings/<int:finding_pk>/remove/",
        views.finding_delete,
        name="finding_delete",
    ),
    path("<int:pk>/overall/", views.overall, name="overall"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/autosave/<slug:section>/", views.autosave, name="autosave"),
    path("<int:pk>/versions/", views.history, name="history"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("published/", views.published_list, name="published_list"),
    path("benchmarking/", include("ratings.benchmarking.urls")),
]
