"""``staffbot secret new`` / ``staffbot secret rotate``: the key that protects personal data.

``new`` prints a fresh key for a new deployment (set it as ``STAFFBOT_SECRET_KEY``).
``rotate`` re-encrypts every stored phone number (and its look-up hash) and every sealed
reason (core/sealed.py) from the key in use
to a new one in one unit of work, audited; a demo's own key file is rewritten, otherwise the
new key is printed for the operator to set everywhere before restarting.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from core.secrets import MissingSecret, new_secret_key, require_key, write_demo_key

secret_app = typer.Typer(no_args_is_help=True, help="The secret key for personal data.")


@secret_app.command("new")
def new() -> None:
    """Print a new random key (set it as STAFFBOT_SECRET_KEY for every process)."""
    typer.echo(new_secret_key())


@secret_app.command("rotate")
def rotate(
    new_key: Annotated[
        str | None,
        typer.Option("--new-key", help="the key to move to (default: a fresh random one)"),
    ] = None,
) -> None:
    """Re-encrypt the stored phone numbers under a new key."""
    from cryptography.fernet import InvalidToken

    from bot.cli import EXIT_INVALID, err, fail, get_core, where
    from core.models import LeaveRequest, Offer, SicknessAbsence
    from core.phones import reencrypt_phones
    from core.sealed import reseal_reasons
    from core.secrets import read_demo_key
    from core.uow import Actor

    core = get_core()
    settings = core.settings
    try:
        old_key = settings.require_secret()
        target = require_key(new_key or new_secret_key())
    except MissingSecret as exc:
        fail(str(exc), EXIT_INVALID)
    if target == old_key:
        fail("the new key is the key in use; give a different one.", EXIT_INVALID)
    from_env = bool(os.environ.get("STAFFBOT_SECRET_KEY"))
    demo_key = None if from_env else read_demo_key(settings.database_url)
    with core.uow() as uow:
        try:
            changed = reencrypt_phones(uow.session, old_key, target)
            reasons = reseal_reasons(
                uow.session,
                [SicknessAbsence.reason, Offer.reason, LeaveRequest.reason],
                old_key,
                target,
            )
        except InvalidToken:
            fail(
                "the stored numbers were not encrypted with the key in use; nothing changed.",
                EXIT_INVALID,
            )
        uow.audit(
            Actor.system("staffbot secret rotate"),
            "secret.rotated",
            "secret_key",
            after={"phones": changed},
        )
        uow.commit()
    if demo_key is not None:
        path = write_demo_key(settings.database_url, target)
        done = f"Re-encrypted {changed} phone numbers and {reasons} reasons"
        err.print(f"{done}; the demo's key in {path} is updated.")
        return
    done = f"Re-encrypted {changed} phone numbers and {reasons} reasons"
    err.print(f"{done} in {where(settings.database_url)}.")
    err.print("Set this as STAFFBOT_SECRET_KEY for every process, then restart them:")
    typer.echo(target)
