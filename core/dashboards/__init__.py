"""Dashboards: who may see which page (``access``) and the read models behind every page and
its JSON API (``views``). Sign-in links and sessions are ``core.signin``."""

from core.dashboards.access import viewer
from core.dashboards.config import DashboardSettings, dashboard_settings
from core.dashboards.rota import rota_compare, rota_drafts
from core.dashboards.views import (
    fairness,
    forecast,
    overview,
    person_record,
    ranking,
    request_detail,
    viewer_json,
)

__all__ = [
    "DashboardSettings",
    "dashboard_settings",
    "fairness",
    "forecast",
    "overview",
    "person_record",
    "rota_compare",
    "rota_drafts",
    "ranking",
    "request_detail",
    "viewer",
    "viewer_json",
]
