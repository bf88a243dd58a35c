"""How the dashboards draw: local times (BST in summer), and charts that are valid SVG with
the figures they were given."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from bot.dash import charts
from bot.dash.pages import make_env

SVG = "{http://www.w3.org/2000/svg}"


def test_instants_show_in_local_time_and_dates_as_they_are():
    env = make_env(ZoneInfo("Europe/London"))
    assert env.filters["hhmm"]("2026-07-01T20:30:00+00:00") == "21:30"  # BST
    assert env.filters["hhmm"]("2026-01-14T09:00:00+00:00") == "09:00"  # GMT
    assert env.filters["day"]("2026-07-01T23:30:00+00:00") == "Thu 02 Jul"  # after midnight
    assert env.filters["day"]("2026-07-01") == "Wed 01 Jul"
    assert env.filters["hhmm"](None) == "-"


def test_bar_chart_draws_one_bar_per_person_scaled_to_the_largest():
    svg = ET.fromstring(
        str(
            charts.bars(
                [("Ann", 40.0), ("Bob", 10.0), ("Cat", 0.0)],
                "hours",
                "h",
                {"Ann": "over"},
                mean=16.7,
            )
        )
    )
    bars = [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class", "")]
    widths = [float(r.get("width")) for r in bars]
    assert len(bars) == 3 and widths[0] == 4 * widths[1] and widths[2] < 1
    assert "over" in bars[0].get("class")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "40h" in texts and "10h" in texts and "mean 16.7h" in texts
    assert svg.get("aria-label") == "hours"


def test_stacked_scores_add_up_and_band_chart_has_every_series():
    svg = ET.fromstring(str(charts.stacked([("Ann", [("a", 30.0), ("b", 20.0)])], "score")))
    parts = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert abs(parts[0] / parts[1] - 1.5) < 1e-6
    assert "50" in [t.text for t in svg.iter(f"{SVG}text")]
    band = ET.fromstring(
        str(
            charts.band(
                [("2026-01-12", 3.0), ("2026-01-13", 4.0)],
                [("2026-01-14", 3.5, 3.0, 4.2), ("2026-01-15", 3.4, 2.9, 4.1)],
                [("2026-01-14", 3.0), ("2026-01-15", 4.0)],
                "demand",
            )
        )
    )
    classes = {e.get("class") for e in band.iter() if e.get("class")}
    assert {"band", "line fc", "line past", "line rota"} <= classes


def test_labels_are_escaped():
    svg = str(charts.bars([("<script>x</script>", 1.0)], "a & b"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)
