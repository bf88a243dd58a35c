"""The registry bootstrap() fills: one place per name, duplicates refused."""

from __future__ import annotations

import pytest

from core.registry import Registry, RegistryError


def test_a_second_handler_for_the_same_intent_is_refused() -> None:
    reg = Registry()
    first = lambda ctx: "one"  # noqa: E731
    reg.add_handler("leave.mine", first)
    reg.add_handler("leave.mine", first)  # the same one again is harmless
    with pytest.raises(RegistryError):
        reg.add_handler("leave.mine", lambda ctx: "two")
    assert reg.handler("leave.mine") is first


def test_texts_blocks_and_jobs_are_listed_by_name() -> None:
    reg = Registry()
    reg.add_text("leave.review", lambda p: "review", blocks=lambda p: [{"type": "section"}])
    reg.add_job("overtime.advance_outreach", lambda core: 0)
    with pytest.raises(RegistryError):
        reg.add_job("overtime.advance_outreach", lambda core: 1)
    assert reg.message_kinds() == {"leave.review"}
    assert reg.job_names() == ["overtime.advance_outreach"]


def test_each_capability_installs_once() -> None:
    reg = Registry()
    calls: list[str] = []

    def install(r: Registry) -> None:
        calls.append("x")
        r.add_handler("help", lambda ctx: "help")

    reg.install("basic", install)
    reg.install("basic", install)
    assert calls == ["x"] and reg.installed == ["basic"]
