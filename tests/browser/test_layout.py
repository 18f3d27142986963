"""
Every page fits the screen: at 375px (a small phone) no page scrolls
sideways, whoever is signed in; at 1280px the main sections fit on one line
and one of them, no more, is the current one.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.browser.catalogue import ERROR_PATHS, PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDER_THAN_SCREEN = (
    "() => document.documentElement.scrollWidth > window.innerWidth"
    " ? document.documentElement.scrollWidth : 0"
)
NAVIGATION_ROWS = """() => new Set(
  [...document.querySelectorAll('.govuk-service-navigation__item')]
    .map((item) => Math.round(item.getBoundingClientRect().top))
).size"""


def paths_for(role, users):
    paths = [
        reverse(name, kwargs=args(users)) for who, name, args in PAGES if who == role
    ]
    return paths + [path for who, path in ERROR_PATHS if who == role]


def wait_for_scripts(page):
    page.wait_for_function("() => document.body.classList.contains('js-enabled')")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("role", [None, *Role])
def test_no_page_scrolls_sideways_on_a_small_phone(
    role, page, live_server, users, sign_in_as
):
    if role:
        sign_in_as(users[role])
    page.set_viewport_size({"width": 375, "height": 800})
    too_wide, blank_choices = {}, []
    for path in paths_for(role, users):
        page.goto(live_server.url + path)
        wait_for_scripts(page)
        if width := page.evaluate(PAGE_WIDER_THAN_SCREEN):
            too_wide[path] = width
        # Radios and checkboxes offer real choices, never Django's "---------".
        if page.locator("label", has_text="---------").count():
            blank_choices.append(path)
    assert too_wide == {}
    assert blank_choices == []


# Pages that belong to no main section: none of their items is current.
SECTIONLESS = {
    "reports:job_list",
    "api_docs",
    "insights:annual_report",
    "insights:annual_report_detail",
    "insights:dashboard",
    "insights:export_list",
}


@pytest.mark.parametrize("role", list(Role))
def test_main_sections_fit_on_one_line_with_one_current_at_1280px(
    role, page, live_server, users, sign_in_as
):
    sign_in_as(users[role])
    page.set_viewport_size({"width": 1280, "height": 800})
    problems = {}
    for who, name, args in PAGES:
        if who != role:
            continue
        response = page.goto(live_server.url + reverse(name, kwargs=args(users)))
        if response.status != 200:
            continue  # A page refused to this role belongs to no section.
        wait_for_scripts(page)
        rows = page.evaluate(NAVIGATION_ROWS)
        current = page.locator(".govuk-service-navigation [aria-current]").count()
        if rows > 1 or current != (0 if name in SECTIONLESS else 1):
            problems[name] = {"rows": rows, "current": current}
    assert problems == {}


def test_small_screens_show_the_main_sections_behind_a_menu_button(
    page, live_server, users, sign_in_as
):
    sign_in_as(users[Role.LEAD_INSPECTOR])
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("reviews:sample_round_list"))
    menu = page.get_by_role("button", name="Menu")
    sampling = page.get_by_role("link", name="Sampling", exact=True)
    assert menu.is_visible()
    assert not sampling.is_visible()
    menu.click()
    assert sampling.is_visible()
    assert sampling.get_attribute("aria-current") == "page"


def test_a_wide_table_scrolls_in_its_own_focusable_region(
    page, live_server, users, sign_in_as
):
    sign_in_as(users[Role.ADMIN])
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("accounts:audit_log"))
    wait_for_scripts(page)
    region = page.locator(".app-table-container").first
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") == "Audit events"
    assert page.evaluate(PAGE_WIDER_THAN_SCREEN) == 0


def test_the_audit_log_fits_beside_its_filter_at_1280px(
    page, live_server, users, sign_in_as
):
    sign_in_as(users[Role.ADMIN])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("accounts:audit_log"))
    wait_for_scripts(page)
    assert page.locator(".moj-filter").is_visible()
    table = page.locator(".app-table-container").first
    assert table.evaluate("(box) => box.scrollWidth <= box.clientWidth")
