"""The dashboards in a real browser (headless Chromium): sign in by link, see the overview,
follow outreach to its ranking, open a person; every page at phone and desktop width
(screenshots kept as artifacts); and the route matrix as a browser sees it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.app import Core
from core.models import Person
from core.overtime import RequestCover, request_cover
from core.signin import issue_link
from core.staffing import staffing_gaps
from core.uow import Actor
from tests.browser.conftest import DESKTOP, PHONE

VG, HAWTHORN = 1, 2


def _person(core: Core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(Person.id).where(Person.full_name == name))


def _link(core: Core, base: str, name: str) -> str:
    with core.uow() as uow:
        issued = issue_link(uow, _person(core, name), Actor.system("browser test"), "cli")
        uow.commit()
    url = issued.url(core.settings.public_url)
    assert url.startswith(base)
    return url


def _open_request(core: Core, home: int) -> int:
    with core.uow() as uow:
        gap = staffing_gaps(
            uow.session,
            core.today() + timedelta(days=1),
            core.today() + timedelta(days=7),
            frozenset({home}),
        )[-1]
    result = request_cover(
        core,
        RequestCover(home_id=home, date=gap.date, shift_type=gap.shift_type, role=gap.role),
        Actor.system("browser test"),
    )
    assert result.request is not None
    return result.request.id


@pytest.fixture(scope="module")
def drafts(server: tuple[str, Core]) -> dict[int, int]:
    """A three-day draft rota (core.rota) at each of two homes."""
    from core.rota.service import generate

    _, core = server
    return {
        home: generate(
            core,
            home,
            date(2026, 1, 19),
            date(2026, 1, 21),
            Actor.system("browser test"),
            time_limit=10,
        )["ref"]
        for home in (VG, HAWTHORN)
    }


@pytest.fixture(scope="module")
def requests(server: tuple[str, Core]) -> dict[int, int]:
    _, core = server
    return {home: _open_request(core, home) for home in (VG, HAWTHORN)}


def _signed_in(browser: Any, server: tuple[str, Core], name: str) -> Any:
    base, core = server
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(_link(core, base, name))
    page.click("#signin")
    page.wait_for_load_state()
    return context, page


def _shoot(page: Any, artifacts: Path, name: str) -> None:
    """This page at desktop and phone width; on a phone nothing but tables may scroll sideways."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(artifacts / f"{name}-{label}.png"), full_page=True)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} scrolls sideways on a phone by {overflow}px"
    page.set_viewport_size(DESKTOP)


def test_manager_signs_in_follows_outreach_to_its_ranking_and_opens_a_person(
    browser: Any,
    server: tuple[str, Core],
    requests: dict[int, int],
    drafts: dict[int, int],
    artifacts: Path,
) -> None:
    context, page = _signed_in(browser, server, "Claire Docherty")
    assert page.inner_text("h1") == "Victoria Gardens"
    assert page.url.endswith("/dash/")
    outreach = page.locator("#outreach")
    assert f"OT{requests[VG]}" in outreach.inner_text()
    assert f"OT{requests[HAWTHORN]}" not in page.content()
    assert page.locator("svg.chart").count() >= 1
    _shoot(page, artifacts, "overview")

    outreach.get_by_role("link", name=f"OT{requests[VG]}").click()
    assert page.inner_text("h1").startswith(f"OT{requests[VG]}")
    assert page.locator("#offers tr").count() > 1  # the first wave went out
    _shoot(page, artifacts, "request")

    page.click("#follow-ranking")
    assert page.inner_text("h1").startswith("Who would be asked")
    assert "people already asked are left out" in page.inner_text("p.sub")
    _shoot(page, artifacts, "ranking-request")

    page.goto(page.url.split("/dash/")[0] + "/dash/")
    page.locator("#gaps a.rank-link").first.click()
    assert page.inner_text("h1").startswith("Who would be asked")
    rows = page.locator("#ranking tr")
    assert rows.count() > 1
    _shoot(page, artifacts, "ranking")

    first = page.locator("#ranking a.person").first
    name = first.inner_text()
    first.click()
    assert page.inner_text("h1") == name
    assert page.locator("#months tr").count() == 14  # header + 13 months
    _shoot(page, artifacts, "person")

    page.click("text=Fairness")
    assert page.inner_text("h1").startswith("Fairness of overtime")
    assert float(page.inner_text("#gini")) >= 0
    _shoot(page, artifacts, "fairness")

    page.goto(page.url.split("/dash/")[0] + f"/dash/homes/{VG}/forecast")
    assert page.inner_text("h1") == "Forecast: Victoria Gardens"
    assert page.locator("svg.chart").count() == page.locator("table.forecast").count() > 0
    _shoot(page, artifacts, "forecast")

    page.goto(page.url.split("/dash/")[0] + "/dash/")
    page.click("text=draft rotas")
    page.locator("#drafts a").first.click()
    assert page.inner_text("h1").startswith(f"Draft rota {drafts[VG]} beside the current rota")
    assert page.locator("#rota-compare tr").count() > 1
    _shoot(page, artifacts, "rota-draft")

    page.click("text=API")
    assert "/api/v1/people/{person_id}" in page.inner_text("#endpoints")
    _shoot(page, artifacts, "api-docs")

    page.click("text=Sign out")
    page.goto(page.url.split("/dash/")[0] + "/dash/")
    assert page.inner_text("h1") == "Sign in needed"
    context.close()


def test_head_of_service_sees_the_group(
    browser: Any, server: tuple[str, Core], requests: dict[int, int], artifacts: Path
) -> None:
    context, page = _signed_in(browser, server, "Graham Kerr")
    assert page.inner_text("h1") == "All homes"
    homes = page.locator("#homes tr")
    assert homes.count() == 6  # header + five homes
    outreach = page.inner_text("#outreach")
    assert f"OT{requests[VG]}" in outreach and f"OT{requests[HAWTHORN]}" in outreach
    _shoot(page, artifacts, "overview-group")
    page.locator("#homes a", has_text="Hawthorn House").click()
    assert page.inner_text("h1") == "Hawthorn House"
    context.close()


def test_staff_see_their_own_record_only(
    browser: Any, server: tuple[str, Core], artifacts: Path
) -> None:
    base, core = server
    context, page = _signed_in(browser, server, "Sarah MacKenzie")
    assert page.inner_text("h1") == "Sarah MacKenzie"
    assert "My record" in page.inner_text("header")
    _shoot(page, artifacts, "own-record")
    other = _person(core, "Jennifer Ross")
    response = page.goto(f"{base}/dash/people/{other}")
    assert response.status == 403 and page.inner_text("h1") == "Not yours to see"
    context.close()


ROUTES = [
    "/dash/homes/{home}",
    "/dash/homes/{home}/ranking?date=2026-01-16&shift_type=night&role=RN",
    "/dash/homes/{home}/forecast",
    "/dash/fairness?home_id={home}",
    "/dash/people/{person}",
    "/dash/requests/{request}",
    "/dash/requests/{request}/ranking",
    "/api/v1/overview?home_id={home}",
    "/api/v1/homes/{home}/ranking?date=2026-01-16&shift_type=night&role=RN",
    "/api/v1/homes/{home}/forecast",
    "/api/v1/fairness?home_id={home}",
    "/api/v1/people/{person}",
    "/api/v1/requests/{request}",
    "/api/v1/requests/{request}/ranking",
    "/dash/homes/{home}/rota",
    "/dash/rota/{draft}",
    "/api/v1/homes/{home}/rota-drafts",
    "/api/v1/rota-drafts/{draft}",
]


def test_route_matrix_in_the_browser(
    browser: Any, server: tuple[str, Core], requests: dict[int, int], drafts: dict[int, int]
) -> None:
    """Without a session every route says 401; Claire gets 200 on her home's and 403 on
    Hawthorn House's, and no Hawthorn data reaches the page."""
    base, core = server
    staff = {home: _first_staff(core, home) for home in (VG, HAWTHORN)}
    anonymous = browser.new_context()
    page = anonymous.new_page()
    for route in ROUTES + ["/dash/", "/api/v1/me", "/api/openapi.json", "/api/docs"]:
        path = route.format(home=VG, person=staff[VG], request=requests[VG], draft=drafts[VG])
        assert page.goto(base + path).status == 401, path
    anonymous.close()
    context, page = _signed_in(browser, server, "Claire Docherty")
    for route in ROUTES:
        mine = route.format(home=VG, person=staff[VG], request=requests[VG], draft=drafts[VG])
        theirs = route.format(
            home=HAWTHORN,
            person=staff[HAWTHORN],
            request=requests[HAWTHORN],
            draft=drafts[HAWTHORN],
        )
        assert page.goto(base + mine).status == 200, mine
        assert page.goto(base + theirs).status == 403, theirs
        assert "Hawthorn House" not in page.content(), theirs
    context.close()


def _first_staff(core: Core, home: int) -> int:
    with core.uow() as uow:
        return uow.session.scalar(
            select(Person.id)
            .where(Person.home_id == home, Person.kind == "staff")
            .order_by(Person.id)
        )
