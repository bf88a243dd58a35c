"""``staffbot dash ...``: sign-in links to the web dashboards (docs/interfaces.md).

    staffbot dash link NAME [--json]     -> {url, expires_at}

The link works once, within ``core.signin.LINK_MINUTES``; opening it and pressing "Sign in"
sets the dashboards' session cookie. Who sees what is the person's own scope.
"""

from __future__ import annotations

from typing import Annotated

import typer

dash_app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Web dashboards: one-time sign-in links."
)


@dash_app.command("link")
def link_cmd(
    name: Annotated[str, typer.Argument(help="the person's full name, e.g. 'Claire Docherty'")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """A one-time sign-in link to the dashboards for NAME."""
    from bot.cli import emit_json, fail, get_core, out
    from core.directory import find_person
    from core.errors import StaffbotError
    from core.signin import issue_link
    from core.uow import Actor

    core = get_core()
    try:
        with core.uow() as uow:
            person = find_person(uow.session, name)
            issued = issue_link(uow, person.id, Actor.system("staffbot dash link"), "cli")
            uow.commit()
    except StaffbotError as exc:
        fail(exc)
    url = issued.url(core.settings.public_url)
    if as_json:
        emit_json({"url": url, "expires_at": issued.expires_at.isoformat()})
        return
    out.print(
        f"Sign-in link for {issued.name} (works once, until "
        f"{issued.expires_at.astimezone(core.zone):%H:%M %d %b}):",
        highlight=False,
    )
    out.print(url, highlight=False, soft_wrap=True)
