"""The dashboards' queries on PostgreSQL: every API call for a manager's home answers, with
the same permissions, on the demo organisation."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import select

from core.models import Person
from core.signin import issue_link
from core.uow import Actor
from tests.conftest import make_core, requires_pg

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = [requires_pg, pytest.mark.postgres]


def test_every_api_call_answers_on_postgresql(pg_demo_url):
    from bot.web import create_app

    core = make_core(pg_demo_url)
    try:
        app = create_app(core)
        with core.uow() as uow:
            claire = uow.session.scalar(
                select(Person.id).where(Person.full_name == "Claire Docherty")
            )
            sarah = uow.session.scalar(
                select(Person.id).where(Person.full_name == "Sarah MacKenzie")
            )
            link = issue_link(uow, claire, Actor.system("test"), "cli")
            uow.commit()
        client = TestClient(app)
        assert client.post(f"/dash/signin/{link.token}", follow_redirects=False).status_code == 303
        ranking = "date=2026-01-16&shift_type=night&role=RN"
        for path in (
            "/api/v1/me",
            "/api/v1/overview",
            f"/api/v1/homes/1/ranking?{ranking}",
            "/api/v1/fairness?days=365",
            f"/api/v1/people/{sarah}?days=365",
            "/api/v1/homes/1/forecast",
            "/api/v1/homes/1/rota-drafts",
            "/dash/",
            "/dash/fairness",
            f"/dash/people/{sarah}",
        ):
            assert client.get(path).status_code == 200, path
        overview = client.get("/api/v1/overview").json()
        assert overview["home"] == "Victoria Gardens" and overview["fill"][1]["requests"] > 0
        assert overview["top_responders"]
        assert client.get(f"/api/v1/homes/2/ranking?{ranking}").status_code == 403
    finally:
        core.engine.dispose()
