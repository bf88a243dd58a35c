"""Draft rotas (core.rota) beside the current rota, for the dashboards.

Read only: a draft's stored document against the shifts scheduled now, day by day, unit by
unit and shift by shift, with who a publish would add and remove.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dashboards.access import require_home
from core.errors import NotAllowed, NotFound
from core.models import Person, Shift, ShiftStatus, ShiftType, Unit
from core.permissions import Scope
from core.rota.models import RotaDraft
from core.staffing import absent_days


def _draft_row(d: RotaDraft) -> dict[str, Any]:
    return {
        "ref": d.id,
        "from": d.start_date.isoformat(),
        "to": d.end_date.isoformat(),
        "status": d.status,
        "objective": d.objective,
        "gap_pct": d.gap_pct,
        "created_at": d.created_at.isoformat(),
        "created_by": d.created_by,
        "published": d.published_at is not None,
    }


def rota_drafts(session: Session, scope: Scope, home_id: int) -> dict[str, Any]:
    """The home's draft rotas, newest first."""
    home = require_home(session, scope, home_id)
    drafts = session.scalars(
        select(RotaDraft).where(RotaDraft.home_id == home.id).order_by(RotaDraft.id.desc())
    )
    return {"home": home.name, "home_id": home.id, "drafts": [_draft_row(d) for d in drafts]}


def rota_compare(session: Session, scope: Scope, draft_id: int) -> dict[str, Any]:
    """One draft beside the current rota for its days: every (day, unit, shift) with the
    names in each, and the draft's own summary (cost, coverage, fairness of both)."""
    if not scope.is_manager:  # before the look-up: staff learn nothing of what exists
        raise NotAllowed("Draft rotas are for managers.")
    draft = session.get(RotaDraft, draft_id)
    if draft is None:
        raise NotFound("There is no such draft rota.")
    home = require_home(session, scope, draft.home_id)
    doc = dict(draft.result or {})
    units = dict(session.execute(select(Unit.id, Unit.name).where(Unit.home_id == home.id)).all())
    shifts = session.execute(
        select(
            Shift.unit_id, Shift.date, Shift.shift_type_code, Shift.role_code, Shift.person_id
        ).where(
            Shift.unit_id.in_(list(units)),
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= draft.start_date,
            Shift.date <= draft.end_date,
        )
    ).all()
    people = {pid for *_, pid in shifts if pid is not None}
    names = dict(
        session.execute(select(Person.id, Person.full_name).where(Person.id.in_(people))).all()
    )
    away = absent_days(session, people, draft.start_date, draft.end_date)
    order = {
        code: i
        for i, code in enumerate(
            session.scalars(select(ShiftType.code).order_by(ShiftType.start_time))
        )
    }
    current: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for unit_id, day, shift_type, role, pid in shifts:
        if pid is not None and (pid, day) in away:
            continue
        who = names.get(pid, "?") if pid is not None else "agency"
        current[(day.isoformat(), units[unit_id], shift_type)].append(f"{who} ({role})")
    proposed: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for a in doc.get("assignments", []):
        proposed[(a["date"], a["unit"], a["shift_type"])].append(f"{a['name']} ({a['role']})")
    short: dict[tuple[str, str, str], int] = defaultdict(int)
    for s in doc.get("shortfalls", []):
        short[(s["date"], s["unit"], s["shift_type"])] += int(s.get("required", 1)) - int(
            s.get("possible", 0) or 0
        )
    keys = sorted(
        set(current) | set(proposed),
        key=lambda k: (k[0], k[1], order.get(k[2], 99)),
    )
    rows: list[dict[str, Any]] = []
    for key in keys:
        now_names, new_names = sorted(current.get(key, [])), sorted(proposed.get(key, []))
        rows.append(
            {
                "date": key[0],
                "unit": key[1],
                "shift_type": key[2],
                "current": now_names,
                "draft": new_names,
                "added": sorted(set(new_names) - set(now_names)),
                "removed": sorted(set(now_names) - set(new_names)),
                "draft_short": short.get(key, 0),
            }
        )
    days = sorted({r["date"] for r in rows})
    return {
        **_draft_row(draft),
        "home": home.name,
        "home_id": home.id,
        "summary": doc.get("summary"),
        "measures": _measures(doc.get("summary")),
        "shortfalls": doc.get("shortfalls", []),
        "days": days,
        "changed": sum(1 for r in rows if r["added"] or r["removed"]),
        "rows": rows,
        "first_day": date.fromisoformat(days[0]).isoformat() if days else None,
    }


def _flat(side: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(side, dict):
        for key, value in side.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                out.update(_flat(value, f"{name} "))
            elif value is None or isinstance(value, (int, float, str)):
                out[name] = value
    return out


def _measures(summary: Any) -> list[dict[str, Any]]:
    """The draft's summary as rows: each measure for the current rota and for the draft."""
    if not isinstance(summary, dict):
        return []
    current, draft = _flat(summary.get("current")), _flat(summary.get("draft"))
    names = list(dict.fromkeys([*current, *draft]))
    return [
        {"measure": n.replace("_", " "), "current": current.get(n), "draft": draft.get(n)}
        for n in names
    ]
