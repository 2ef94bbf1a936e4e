"""`migraine undo`: take back the record typed last, after showing it."""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli import common

app = typer.Typer()


@app.command()
def undo(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove the session, attack or check-in added last (shows it and asks first unless
    --yes). Imported records are not undone one by one.

    Example: migraine undo
    """
    from migraine_diary.diary.undo import last_added
    from migraine_diary.diary.undo import undo as take_back
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks
    from migraine_diary.render import sessions as render_sessions

    diary = common.existing_diary(ctx)
    added = last_added(diary)
    if added.session is not None:
        shown = render_sessions.session_line(added.session, "Remove")
        done = f"Removed session {added.session.id}."
    elif added.attack is not None:
        shown = render_attacks.attack_line(added.attack, "Remove", dates.now())
        done = f"Removed attack {added.attack.id}."
    else:
        shown = f"Remove the check-in of {added.checkin} (no migraine that day)"
        done = f"Removed the check-in of {added.checkin}."
    if not yes and not common.confirm_change(shown + "?", "removed", command="undo"):
        return
    take_back(diary, added)
    common.say(done)
