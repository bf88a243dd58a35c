"""``staffbot model ...``: the intent model, ready before the first message.

    staffbot model build [--cache-dir DIR] [--force] [--json]
    staffbot model status [--cache-dir DIR] [--json]

``build`` trains the text classifier from the corpus the project ships, with a
progress bar, and caches it where every command finds it (``STAFFBOT_CACHE_DIR``,
default ``.cache/staffbot`` in the checkout). It is idempotent: a complete cache
for the current corpus and code is loaded and reused, not retrained (``--force``
retrains). ``status`` says whether that cache exists.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

model_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="The intent model: build it ahead of the first message.",
)

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="where to cache it (default: STAFFBOT_CACHE_DIR, else .cache/staffbot in the project)",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="print one JSON object")]


def _describe(root: Path | None) -> dict[str, object]:
    from intents import classifier

    path = classifier.model_path(root)
    return {"cache_dir": str(path.parent), "model": str(path), "built": classifier.is_built(root)}


@model_app.command("status")
def status_cmd(cache_dir: CacheDir = None, as_json: AsJson = False) -> None:
    """Whether the model for the current corpus and code is built."""
    info = _describe(cache_dir)
    if as_json:
        sys.stdout.write(json.dumps(info) + "\n")
        return
    state = "built" if info["built"] else "not built (run: staffbot model build)"
    Console().print(f"intent model: {state}\n  {info['model']}", highlight=False)


@model_app.command("build")
def build_cmd(
    cache_dir: CacheDir = None,
    force: Annotated[bool, typer.Option("--force", help="retrain even if it is cached")] = False,
    as_json: AsJson = False,
) -> None:
    """Train the intent model (about 10-15 s of CPU) or reuse the cached one."""
    import shutil

    from intents import classifier, parser

    path = classifier.model_path(cache_dir)
    if force and path.exists():
        shutil.rmtree(path, ignore_errors=True)
    reused = classifier.is_built(cache_dir)
    start = time.perf_counter()
    console = Console(stderr=True)
    if reused:
        classifier.load_or_train(parser._featurize_rows, root=cache_dir)
    else:
        with Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=as_json,
        ) as bar:
            tasks: dict[str, TaskID] = {}
            labels = {"featurise": "reading the corpus", "train": "training (epochs)"}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            classifier.load_or_train(parser._featurize_rows, root=cache_dir, progress=progress)
    seconds = round(time.perf_counter() - start, 2)
    info = _describe(cache_dir) | {"reused": reused, "seconds": seconds}
    if not info["built"]:
        console.print(
            f"[red]error:[/red] could not write the model under {info['cache_dir']}",
            highlight=False,
        )
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(info) + "\n")
        return
    what = "already built, reused" if reused else "built"
    Console().print(f"intent model {what} in {seconds} s\n  {info['model']}", highlight=False)
