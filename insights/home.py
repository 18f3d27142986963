"""
The home page: each role's work, drawn from every app. Like urls.py, this
module sits above the apps and may import any of them.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.roles import Role
from consultations import selectors as consultations_selectors
from insights import dashboards
from panels import selectors as panels_selectors
from sfoqa.antivirus import antivirus_status


def home(request):
    roles = request.user.roles
    context = {"page_title": _("Home"), "roles": roles}
    # Each role's counts, from the insights dashboards.
    if Role.INSPECTOR in roles:
        context["inspector_home"] = dashboards.inspector_home(user=request.user)
    if Role.LEAD_INSPECTOR in roles:
        context["lead_home"] = dashboards.lead_home()
    if Role.HMPPS_SFO in roles:
        context["hmpps_home"] = dashboards.hmpps_home(user=request.user)
    if Role.ADMIN in roles:
        context["admin_home"] = dashboards.admin_home()
    if Role.PANEL_MEMBER in roles:
        context["panel_home"] = panels_selectors.member_home(user=request.user)
    if Role.ADMIN in roles:
        context["admin_summary"] = accounts_selectors.admin_summary()
        context["failed_notifications"] = (
            accounts_selectors.failed_notifications_recent()
        )
        context["antivirus"] = antivirus_status()
        context["overdue_responses"] = consultations_selectors.overdue_responses()
    return render(request, "accounts/home.html", context)
