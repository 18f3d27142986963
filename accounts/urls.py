from django.urls import path

from accounts import sso, views
from sfoqa.views import page

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path(
        "sign-in/set-up-authenticator/", views.two_factor_setup, name="two_factor_setup"
    ),
    path("sign-in/security-code/", views.two_factor_verify, name="two_factor_verify"),
    path("sign-in/department/", sso.staff_sign_in, name="staff_sign_in"),
    path(
        "sign-in/department/return/",
        sso.staff_sign_in_callback,
        name="staff_sign_in_callback",
    ),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.timed_out, name="timed_out"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        page("accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path(
        "password/set/done/",
        page("accounts/password_set_done.html"),
        name="password_set_done",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/change/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path(
        "users/<int:pk>/resend-invitation/",
        views.user_resend_invitation,
        name="user_resend_invitation",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
