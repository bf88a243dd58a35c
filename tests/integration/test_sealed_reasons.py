"""Health details and other free-text reasons are encrypted at rest (core/sealed.py): the
database holds no sickness cause in clear, the application reads it back, and
``staffbot secret rotate`` moves sealed reasons to the new key with the phone numbers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from sqlalchemy import select, text

from core.app import Core
from core.models import Person, SicknessAbsence
from core.overtime import report_sickness
from core.overtime.commands import ReportSickness
from core.sealed import PREFIX, sealer_for
from core.secrets import new_secret_key
from tests.conftest import TEST_SECRET_KEY


def _sarah(core: Core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(Person.id).where(Person.full_name == "Sarah MacKenzie"))


def _raw_reasons(core: Core) -> list[str]:
    with core.engine.connect() as conn:
        return [
            row[0]
            for row in conn.execute(
                text("SELECT reason FROM sickness_absences WHERE reason IS NOT NULL")
            )
        ]


def test_a_sickness_cause_is_not_stored_in_clear(demo_core: Core) -> None:
    report_sickness(
        demo_core,
        ReportSickness(
            person_id=_sarah(demo_core),
            start=date(2026, 1, 19),
            end=date(2026, 1, 19),
            reason="I've got covid",
        ),
    )
    raw = _raw_reasons(demo_core)
    assert raw and not any("covid" in value for value in raw)
    assert any(value.startswith(PREFIX) for value in raw)
    with demo_core.uow() as uow:  # the application reads the words back
        reasons = uow.session.scalars(
            select(SicknessAbsence.reason).where(SicknessAbsence.person_id == _sarah(demo_core))
        ).all()
    assert "I've got covid" in reasons


def test_rotate_reseals_reasons_under_the_new_key(demo_url: str, demo_core: Core) -> None:
    report_sickness(
        demo_core,
        ReportSickness(
            person_id=_sarah(demo_core),
            start=date(2026, 1, 19),
            end=date(2026, 1, 19),
            reason="migraine",
        ),
    )
    before = _raw_reasons(demo_core)
    new_key = new_secret_key()
    env = dict(os.environ, STAFFBOT_DATABASE_URL=demo_url, STAFFBOT_SECRET_KEY=TEST_SECRET_KEY)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "secret", "rotate", "--new-key", new_key],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    after = _raw_reasons(demo_core)
    assert len(after) == len(before) and set(after).isdisjoint(before)
    assert "migraine" in {sealer_for(new_key).open(value) for value in after}
