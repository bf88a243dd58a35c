"""The words of the scheduled alerts, from their payloads (no database)."""

from bot.conversation.forecast import (
    daily_gaps_text,
    forecast_alert_text,
    training_alert_text,
    weekly_summary_text,
)
from bot.render import render
from bot.slack.forecast import daily_gaps_blocks

GAP = {
    "date": "2026-01-16",
    "home": "Victoria Gardens",
    "unit": "Rowan",
    "shift_type": "night",
    "role": "RN",
    "required": 1,
    "rostered": 0,
    "short": 1,
}


def test_daily_gap_report_names_today_tomorrow_and_open_outreach():
    payload = {
        "home": "Victoria Gardens",
        "date": "2026-01-15",
        "today": [],
        "tomorrow": [GAP],
        "outreach": [
            {
                "ref": "OT7",
                "date": "2026-01-16",
                "shift_type": "night",
                "role": "RN",
                "unit": "Rowan",
                "asked": 3,
                "declined": 1,
                "wave": 1,
            }
        ],
    }
    text = daily_gaps_text(payload)
    assert text.startswith("Daily gap report for Victoria Gardens, Thu 15 Jan. Today: no gaps.")
    assert "Tomorrow (Fri 16 Jan): 1 gap - night RN x1 (Rowan)." in text
    assert "Open overtime requests: OT7 RN night Fri 16 Jan (3 people asked)." in text
    assert render("alert.daily_gaps", payload, "sms").text == text  # registered for delivery
    blocks = daily_gaps_blocks(payload)
    assert blocks[0]["type"] == "header" and "Victoria Gardens" in blocks[0]["text"]["text"]
    shown = str(blocks)
    assert "*RN* short 1" in shown and "OT7" in shown
    quiet = daily_gaps_text({**payload, "tomorrow": [], "outreach": []})
    assert "Tomorrow (Fri 16 Jan): no gaps. No open overtime requests." in quiet


def test_forecast_training_and_weekly_texts():
    forecast = forecast_alert_text(
        {
            "home": "Victoria Gardens",
            "from": "2026-01-16",
            "to": "2026-01-22",
            "threshold": 1,
            "expected_short": 2.0,
            "days_at_risk": 1,
            "days": [{"date": "2026-01-19", "unit": "Birch", "prediction": 5.0, "rostered": 3}],
        }
    )
    assert forecast.startswith(
        "Forecast alert for Victoria Gardens: predicted need is above "
        "the rota on 1 day from Fri 16 Jan to Thu 22 Jan"
    )
    assert "Mon 19 Jan Birch: 5 expected, 3 rostered" in forecast
    items = [
        {
            "name": f"Person {i}",
            "role": "HCA",
            "home": "Victoria Gardens",
            "course": "Fire Safety",
            "expires_on": "2026-01-2" + str(i),
        }
        for i in range(8)
    ]
    training = training_alert_text(
        {
            "home": "Victoria Gardens",
            "days": 30,
            "from": "2026-01-19",
            "until": "2026-02-18",
            "items": items,
            "first_name": "Claire",
        }
    )
    assert training.startswith(
        "Hi Claire, 8 training renewals at Victoria Gardens lapse by "
        "Wed 18 Feb: Person 0: Fire Safety Tue 20 Jan;"
    )
    assert training.endswith("and 2 more people.")
    weekly = weekly_summary_text(
        {
            "from": "2026-01-12",
            "to": "2026-01-18",
            "first_name": "Graham",
            "requests": {"opened": 3, "filled": 2, "unfilled": 1, "cancelled": 0, "pending": 0},
            "median_fill_minutes": 42.0,
            "offers": 9,
            "accepted": 2,
            "declined": 4,
            "no_response": 3,
            "fairness": {"gini": 0.41, "willing_staff": 50, "top": [{"name": "A B", "hours": 24}]},
            "gaps_next_week": {"total": 2, "by_home": {"Victoria Gardens": 2}},
        }
    )
    assert weekly.startswith(
        "Hi Graham, here is the weekly staffing summary for Mon 12 Jan "
        "to Sun 18 Jan: 3 overtime requests (2 filled, 1 unfilled"
    )
    assert "median 42 min to fill" in weekly and "Gini 0.41 across 50 willing staff" in weekly
    assert weekly.endswith("Gaps in the next 7 days: 2 (Victoria Gardens 2).")
