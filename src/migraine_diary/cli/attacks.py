"""Commands of the attack diary: `attack log|end|list|show|edit|delete`.

Only typer is imported at module level: `--help` and Tab completion stay instant.
"""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli import common
from migraine_diary.cli.common import (
    Json,
    Notes,
    Since,
    Until,
    ask,
    counting_diary,
    diary_from,
    existing_diary,
    id_of,
    list_limit,
    print_json,
    print_json_list,
    say,
    writable_diary,
)
from migraine_diary.domain.helpfulness import HELPFULNESS_WORDS

app = typer.Typer()
attack_app = typer.Typer(no_args_is_help=True)
app.add_typer(
    attack_app,
    name="attack",
    help="Migraine attacks: log one (as it happens or afterwards), end it, list, show, edit, "
    "delete.\n\nExample: migraine attack log --hours 4 --peak 7 --med 'sumatriptan 50mg'",
)

AttackId = Annotated[
    str, typer.Argument(help="Attack id (see `migraine attack list`).", show_default=False)
]
When = Annotated[
    str | None,
    typer.Option(
        "--when",
        "-w",
        help="When it began: '2026-11-20 14:30', 'yesterday 17:00' (default: now).",
        metavar="W",
    ),
]
Hours = Annotated[
    str | None,
    typer.Option(
        "--hours",
        "-H",
        help="How long it lasted, in hours: 4, 1.5 (at most 72). Without --when it ended now.",
        metavar="H",
    ),
]
UntilWhen = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="When it ended (with --when): '2026-11-20 18:30', or a time alone on the "
        "attack's day.",
        metavar="W",
    ),
]
Ongoing = Annotated[
    bool, typer.Option("--ongoing", help="Still going on: end it later with `attack end ID`.")
]
AllowOverlap = Annotated[
    bool,
    typer.Option("--allow-overlap", help="Keep it even though it overlaps another attack in time."),
]
Peak = Annotated[str | None, typer.Option("--peak", "-p", help="Worst pain, 0-10.", metavar="0-10")]
Med = Annotated[
    list[str] | None,
    typer.Option(
        "--med",
        help="Acute medication taken: NAME[@TIME][=HELPFULNESS], e.g. "
        "'sumatriptan 50mg@14:30=helpful'. TIME alone is the one nearest the start; "
        f"HELPFULNESS: {HELPFULNESS_WORDS}. Repeat for each.",
        metavar="NAME",
    ),
]


def _ask_length(hours: str | None, until: str | None, ongoing: bool) -> tuple[str | None, bool]:
    """With no length given: ask on a terminal, refuse in a script (a guess would be wrong)."""
    from migraine_diary.diary.attacks import length_given

    if length_given(hours, until, ongoing):
        return hours, ongoing
    if common.on_terminal():
        answer: str = typer.prompt("How many hours did it last? (e.g. 4 or 1.5, or 'ongoing')")
        if answer.strip().casefold() == "ongoing":
            return None, True
        return answer, False
    from migraine_diary.domain.models import RULES
    from migraine_diary.errors import InputError

    raise InputError(
        f"missing --hours, --until or --ongoing: how long it lasted ({RULES['hours']}), "
        "when it ended, or that it is still going"
    )


@attack_app.command("log")
def log(
    ctx: typer.Context,
    when: When = None,
    hours: Hours = None,
    until: UntilWhen = None,
    ongoing: Ongoing = False,
    peak: Peak = None,
    aura: Annotated[bool, typer.Option("--aura", help="It came with an aura.")] = False,
    med: Med = None,
    notes: Notes = None,
    allow_overlap: AllowOverlap = False,
) -> None:
    """Log a migraine attack: when it began, how long it lasted, peak pain, medication.

    Give one of --hours, --until or --ongoing (asked for on a terminal; required in a script).

    Prints a warning when the attack's month is over an ICHD-3 medication-overuse level.

    Example: migraine attack log --when 'today 09:00' --hours 5 --peak 7 --med sumatriptan@09:30
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks

    now = dates.now()
    peak = ask(peak, "--peak", "Peak pain (0-10)")
    hours, ongoing = _ask_length(hours, until, ongoing)
    attack = attacks.typed_attack(
        when=when,
        hours=hours,
        until=until,
        ongoing=ongoing,
        peak=peak,
        aura=aura,
        meds=med or [],
        notes=notes,
        now=now,
    )
    result = attacks.log_attack(writable_diary(ctx), attack, now, allow_overlap=allow_overlap)
    render_attacks.logged(result, now)


@attack_app.command("end")
def end(
    ctx: typer.Context,
    attack_id: AttackId,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            "-w",
            help="When it ended: 'today 18:30', or a time alone on the attack's day "
            "(default: now).",
            metavar="W",
        ),
    ] = None,
) -> None:
    """End an ongoing attack.

    Example: migraine attack end 12 --when 18:30
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks

    now = dates.now()
    number = id_of(attack_id, "attack id")
    attack = attacks.end_attack(existing_diary(ctx), number, when, now)
    render_attacks.attack_changed(attack, "Ended", now)


@attack_app.command("list")
def list_(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    limit: Annotated[
        str | None,
        typer.Option(
            "--limit",
            help="How many attacks to show, newest first (default: 50; with --json, all).",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    json: Json = False,
) -> None:
    """List attacks, newest first (by the day they began).

    Example: migraine attack list --since 2026-11-01
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates

    since_day = dates.parse_day(since, field="since") if since else None
    until_day = dates.parse_day(until, field="until") if until else None
    count = list_limit(limit, json=json)
    now = dates.now()
    diary = counting_diary(ctx)
    if json and count is None:
        print_json_list(a.to_json() for a in attacks.stream_attacks(diary, since_day, until_day))
        return
    found, total = attacks.list_attacks(diary, since_day, until_day, count)
    if json:
        print_json([a.to_json() for a in found])
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.attacks_table(found, total, now)


@attack_app.command("show")
def show(ctx: typer.Context, attack_id: AttackId, json: Json = False) -> None:
    """Show one attack with its medication.

    Example: migraine attack show 12
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates

    attack = attacks.get_attack(diary_from(ctx, write=False), id_of(attack_id, "attack id"))
    if json:
        print_json(attack.to_json())
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.attack_detail(attack, dates.now())


@attack_app.command("edit")
def edit(
    ctx: typer.Context,
    attack_id: AttackId,
    when: When = None,
    hours: Hours = None,
    until: UntilWhen = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="Mark it as still going on.")] = False,
    peak: Peak = None,
    aura: Annotated[
        bool | None, typer.Option("--aura/--no-aura", help="With an aura or not.")
    ] = None,
    med: Annotated[
        list[str] | None,
        typer.Option(
            "--med",
            help="Add a medication: NAME[@TIME][=HELPFULNESS]. Repeat for each.",
            metavar="NAME",
        ),
    ] = None,
    clear_meds: Annotated[
        bool,
        typer.Option("--clear-meds", help="Remove the medication logged so far (then --med)."),
    ] = False,
    notes: Annotated[
        str | None, typer.Option("--notes", "-n", help="Notes ('' clears them).")
    ] = None,
    allow_overlap: AllowOverlap = False,
) -> None:
    """Change fields of an attack; the rest stay as they are.

    A new --when alone keeps the stored end; --hours counts from the start.

    Example: migraine attack edit 12 --peak 8 --med 'ibuprofen 400mg@16:00=somewhat'
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks

    now = dates.now()
    number = id_of(attack_id, "attack id")
    attack = attacks.edit_attack(
        existing_diary(ctx),
        number,
        when=when,
        hours=hours,
        until=until,
        ongoing=ongoing,
        peak=peak,
        aura=aura,
        add_meds=med or [],
        clear_meds=clear_meds,
        notes=notes,
        now=now,
        allow_overlap=allow_overlap,
    )
    render_attacks.attack_changed(attack, "Updated", now)


@attack_app.command("delete")
def delete(
    ctx: typer.Context,
    attack_id: AttackId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an attack and its medication (asks first unless --yes).

    Example: migraine attack delete 12 --yes
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks

    number = id_of(attack_id, "attack id")
    diary = existing_diary(ctx)
    attack = attacks.get_attack(diary, number)
    if not yes:
        if not common.on_terminal():
            from migraine_diary.errors import InputError

            raise InputError("delete asks for confirmation: add --yes when not on a terminal")
        typer.confirm(render_attacks.attack_line(attack, "Delete", dates.now()) + "?", abort=True)
    attacks.delete_attack(diary, number)
    say(f"Deleted attack {number}.")
