"""Commands of the attack diary: `attack log|end|list|show|edit|delete|rate|due`.

Only typer is imported at module level: `--help` and Tab completion stay instant.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from migraine_diary.cli import common
from migraine_diary.cli.common import (
    Json,
    Notes,
    Since,
    Until,
    ask,
    complete_attack,
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

if TYPE_CHECKING:
    from migraine_diary.domain.attack import Attack
    from migraine_diary.storage import Diary

app = typer.Typer()
attack_app = typer.Typer(no_args_is_help=True)
app.add_typer(
    attack_app,
    name="attack",
    help="Migraine attacks: log one (as it happens or afterwards), end it, list, show, edit, "
    "delete.\n\nExample: migraine attack log --hours 4 --peak 7 --med 'sumatriptan 50mg'",
)

AttackId = Annotated[
    str,
    typer.Argument(
        help="Attack id (see `migraine attack list`).",
        show_default=False,
        metavar="ID",
        autocompletion=complete_attack,
    ),
]
_WHEN_HELP = "When it began: '2026-11-20 14:30', 9:00, 'yesterday 17:00', 'last monday 9:30'"
When = Annotated[
    str | None, typer.Option("--when", "-w", help=_WHEN_HELP + " (default: now).", metavar="W")
]
NewStart = Annotated[str | None, typer.Option("--when", "-w", help=_WHEN_HELP + ".", metavar="W")]
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

Mbs = Annotated[
    str | None,
    typer.Option(
        "--mbs",
        help="The most bothersome symptom besides the pain: nausea, light, sound or other.",
        metavar="S",
    ),
]


Trigger = Annotated[
    list[str] | None,
    typer.Option(
        "--trigger",
        help="A possible trigger, e.g. stress, 'bright light'. Repeat for each.",
        metavar="TEXT",
    ),
]
Symptom = Annotated[
    list[str] | None,
    typer.Option("--symptom", help="A symptom, e.g. nausea. Repeat for each.", metavar="TEXT"),
]
PainPosition = Annotated[
    list[str] | None,
    typer.Option(
        "--pain-position",
        help="Where it hurt, e.g. 'left temple'. Repeat for each.",
        metavar="TEXT",
    ),
]
ReliefMethod = Annotated[
    list[str] | None,
    typer.Option(
        "--relief",
        help="A non-drug relief method: METHOD[=HELPFULNESS], e.g. 'dark room=helpful'. "
        "Repeat for each.",
        metavar="METHOD",
    ),
]

# `attack edit`: the same options, each setting its list anew ('' alone clears it).
_SET_ANEW = " Given, it replaces the list; repeat for each, or '' to clear it."
EditTrigger = Annotated[
    list[str] | None,
    typer.Option("--trigger", help="The possible triggers." + _SET_ANEW, metavar="TEXT"),
]
EditSymptom = Annotated[
    list[str] | None,
    typer.Option("--symptom", help="The symptoms." + _SET_ANEW, metavar="TEXT"),
]
EditPainPosition = Annotated[
    list[str] | None,
    typer.Option("--pain-position", help="Where it hurt." + _SET_ANEW, metavar="TEXT"),
]
EditRelief = Annotated[
    list[str] | None,
    typer.Option(
        "--relief",
        help="The non-drug relief methods: METHOD[=HELPFULNESS]." + _SET_ANEW,
        metavar="METHOD",
    ),
]


def _ask_length(hours: str | None, until: str | None, ongoing: bool) -> tuple[str | None, bool]:
    """With no length given: ask on a terminal, refuse in a script (a guess would be wrong)."""
    from migraine_diary.diary.attacks import length_given

    if length_given(hours, until, ongoing):
        return hours, ongoing
    if common.on_terminal():
        answer = common.answer(
            "How many hours did it last? (e.g. 4 or 1.5, or 'ongoing')", _check_length
        )
        if answer.strip().casefold() == "ongoing":
            return None, True
        return answer, False
    from migraine_diary.domain.models import RULES
    from migraine_diary.errors import InputError

    raise InputError(
        f"missing --hours, --until or --ongoing: how long it lasted ({RULES['hours']}), "
        "when it ended, or that it is still going"
    )


def _check_length(text: str) -> object:
    from migraine_diary.domain.models import parse_hours

    return None if text.strip().casefold() == "ongoing" else parse_hours(text)


def _check_peak(text: str) -> object:
    from migraine_diary.domain.models import RULES, parse_whole

    return parse_whole(text, field="peak", rule=RULES["peak"], low=0, high=10)


def _check_when(text: str) -> object:
    from migraine_diary.domain import dates

    return dates.parse_when(text)


def _check_med(text: str) -> object:
    """A dose as typed at the prompt, by the rules of `--med` (the time is checked again
    against the attack's start when it is logged)."""
    from pydantic import ValidationError

    from migraine_diary.diary.attacks import parse_med
    from migraine_diary.domain import dates
    from migraine_diary.domain.models import RULES, MedicationInput
    from migraine_diary.errors import field_error

    if not text.strip():
        return None
    try:
        return MedicationInput.model_validate(parse_med(text, dates.now()))
    except ValidationError:
        raise field_error("med", RULES["med"], text) from None


def _ask_the_rest(
    aura: bool, med: list[str] | None, notes: str | None
) -> tuple[bool, list[str], str | None]:
    """What a bare `attack log` asks after the start, the peak and the length."""
    if not aura:
        aura = typer.confirm("With an aura?", default=False)
    meds = list(med or [])
    if not meds:
        while True:
            dose = common.answer(
                "Medication taken, as NAME[@TIME][=HELPFULNESS] (blank when done)",
                _check_med,
                default="",
            )
            if not dose.strip():
                break
            meds.append(dose)
    if notes is None:
        notes = common.answer("Notes (blank for none)", default="")
    return aura, meds, notes


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
    mbs: Mbs = None,
    notes: Notes = None,
    trigger: Trigger = None,
    symptom: Symptom = None,
    pain_position: PainPosition = None,
    relief: ReliefMethod = None,
    allow_overlap: AllowOverlap = False,
    json: Annotated[bool, typer.Option("--json", help="Print the stored attack as JSON.")] = False,
) -> None:
    """Log a migraine attack: when it began, how long it lasted, peak pain, medication,
    and what came with it (--trigger, --symptom, --pain-position, --relief).

    Give one of --hours, --until or --ongoing (asked for on a terminal; required in a script).
    A bare `migraine attack log` on a terminal asks for everything, each answer checked.

    Prints a warning when the attack's month is over an ICHD-3 medication-overuse level.

    Example: migraine attack log --when 'today 09:00' --hours 5 --peak 7 --med sumatriptan@09:30
    """
    from migraine_diary.diary import acute, attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import acute as render_acute
    from migraine_diary.render import attacks as render_attacks

    now = dates.now()
    bare = common.on_terminal() and not any(
        (when, hours, until, ongoing, peak, aura, med, mbs, notes, allow_overlap)
    )
    mbs_choice = acute.parse_mbs(mbs) if mbs is not None else None
    if bare:
        when = common.answer("When did it begin?", _check_when, default="now")
    peak = ask(peak, "--peak", "Peak pain (0-10)", _check_peak)
    hours, ongoing = _ask_length(hours, until, ongoing)
    if bare:
        aura, med, notes = _ask_the_rest(aura, med, notes)
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
        detail={
            "triggers": trigger or [],
            "symptoms": symptom or [],
            "pain_positions": pain_position or [],
            "relief": relief or [],
        },
    )
    diary = writable_diary(ctx)
    result = attacks.log_attack(diary, attack, now, allow_overlap=allow_overlap, mbs=mbs_choice)
    if json:
        print_json(_attack_json(diary, result.attack))
        return
    render_attacks.logged(result, now)
    attack_id = result.attack.id
    render_acute.due_after_log(
        [
            (n, taken + dt.timedelta(hours=2), acute.due_command(attack_id, n))
            for n, _, taken in acute.dose_numbers(result.attack)
            # older ones: `attack due` counts them; one without a time is never due by the clock
            if taken is not None and taken >= now - dt.timedelta(hours=24)
        ],
        now,
    )


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
    number = id_of(attack_id, "attack ID")
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
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Only those with this text in their notes (any case).",
            metavar="TEXT",
        ),
    ] = None,
    trigger: Annotated[
        str | None,
        typer.Option("--trigger", help="Only attacks with this trigger (any case).", metavar="X"),
    ] = None,
    json: Json = False,
) -> None:
    """List attacks, newest first (by the day they began).

    Example: migraine attack list --since 2026-11-01 --trigger stress --search weather
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates

    since_day = dates.parse_day(since, field="since") if since else None
    until_day = dates.parse_day(until, field="until") if until else None
    count = list_limit(limit, json=json)
    now = dates.now()
    from migraine_diary.diary.clients import labelled_json, labels

    diary = counting_diary(ctx)
    if json and count is None:
        streamed = attacks.stream_attacks(diary, since_day, until_day, search, trigger=trigger)
        print_json_list(labelled_json(diary, "attack", streamed))
        return
    found, total = attacks.list_attacks(diary, since_day, until_day, count, search, trigger=trigger)
    if json:
        print_json(list(labelled_json(diary, "attack", found)))
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.attacks_table(
        found, total, now, labels(diary, "attack", [a.id for a in found]), search=search
    )


@app.command()
def triggers(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="What to count: trigger, symptom, pain_position, most_bothersome or relief.",
            metavar="KIND",
        ),
    ] = "trigger",
    json: Json = False,
) -> None:
    """Count attacks by trigger: how many had each, of how many recorded (all, or those that
    began in --since/--until). --kind counts symptoms, pain positions, ... instead.

    Example: migraine triggers --since 2026-01-01
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.domain.attack import DETAIL_KINDS

    if kind not in DETAIL_KINDS:
        from migraine_diary.errors import field_error

        raise field_error("kind", "one of " + ", ".join(DETAIL_KINDS), kind)
    since_day = dates.parse_day(since, field="since") if since else None
    until_day = dates.parse_day(until, field="until") if until else None
    counts = attacks.detail_counts(diary_from(ctx, write=False), kind, since_day, until_day)
    if json:
        print_json(counts.to_json())
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.detail_table(counts)


def _attack_json(diary: Diary | None, attack: Attack) -> dict[str, Any]:
    """`attack show --json`, and `attack log --json`: the attack with its mbs and ratings."""
    from migraine_diary.diary.acute import attack_ratings
    from migraine_diary.render.json import attack_ratings_json

    return {**attack.to_json(), **attack_ratings_json(*attack_ratings(diary, attack))}


@attack_app.command("show")
def show(ctx: typer.Context, attack_id: AttackId, json: Json = False) -> None:
    """Show one attack with its medication.

    Example: migraine attack show 12
    """
    from migraine_diary.diary import attacks
    from migraine_diary.diary.acute import attack_ratings
    from migraine_diary.domain import dates

    diary = diary_from(ctx, write=False)
    attack = attacks.get_attack(diary, id_of(attack_id, "attack ID"))
    if json:
        print_json(_attack_json(diary, attack))
        return
    mbs, ratings = attack_ratings(diary, attack)
    from migraine_diary.render import attacks as render_attacks

    render_attacks.attack_detail(attack, dates.now(), mbs, ratings)


@attack_app.command("edit")
def edit(
    ctx: typer.Context,
    attack_id: AttackId,
    when: NewStart = None,
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
    mbs: Annotated[
        str | None,
        typer.Option(
            "--mbs",
            help="Most bothersome symptom: nausea, light, sound, other ('' clears it).",
            metavar="S",
        ),
    ] = None,
    trigger: EditTrigger = None,
    symptom: EditSymptom = None,
    pain_position: EditPainPosition = None,
    relief: EditRelief = None,
    allow_overlap: AllowOverlap = False,
) -> None:
    """Change fields of an attack; the rest stay as they are.

    A new --when alone keeps the stored end; --hours counts from the start. --trigger,
    --symptom, --pain-position and --relief set that list anew ('' clears it).

    Example: migraine attack edit 12 --peak 8 --med 'ibuprofen 400mg@16:00=somewhat'
    """
    from migraine_diary.diary import attacks
    from migraine_diary.domain import dates
    from migraine_diary.render import attacks as render_attacks

    now = dates.now()
    number = id_of(attack_id, "attack ID")
    if mbs is not None and mbs.strip():
        from migraine_diary.diary.acute import parse_mbs

        mbs = parse_mbs(mbs)
    diary = existing_diary(ctx)
    lost: list[str] = []
    if clear_meds:
        from migraine_diary.diary.doses import cleared_ratings

        lost = cleared_ratings(diary, number)
    attack = attacks.edit_attack(
        diary,
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
        mbs=mbs,
        detail={
            name: [v for v in given if v.strip()]
            for name, given in (
                ("triggers", trigger),
                ("symptoms", symptom),
                ("pain_positions", pain_position),
                ("relief", relief),
            )
            if given is not None
        },
    )
    render_attacks.attack_changed(attack, "Updated", now)
    for line in lost:
        say(line[0].upper() + line[1:] + ".")


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

    number = id_of(attack_id, "attack ID")
    diary = existing_diary(ctx)
    attack = attacks.get_attack(diary, number)
    question = render_attacks.attack_line(attack, "Delete", dates.now()) + "?"
    if not yes and not common.confirm_change(question):
        return
    attacks.delete_attack(diary, number)
    say(f"Deleted attack {number}.")


@attack_app.command("rate")
def rate(
    ctx: typer.Context,
    attack_id: AttackId,
    dose: Annotated[
        str | None,
        typer.Option(
            "--dose", "-d", help="The attack's N-th dose in time order (default 1).", metavar="N"
        ),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session", help="Rate a session during the attack instead (its id).", metavar="ID"
        ),
    ] = None,
    at_dose: Annotated[
        str | None,
        typer.Option(
            "--at-dose",
            help="Pain when the dose was taken, 0-10 (default: the attack's peak).",
            metavar="0-10",
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            "--after", help="Which rating: 2h, 24h or 48h after the dose.", metavar="2h|24h|48h"
        ),
    ] = None,
    pain: Annotated[
        str | None, typer.Option("--pain", help="Pain at that time, 0-10.", metavar="0-10")
    ] = None,
    mbs_gone: Annotated[
        bool,
        typer.Option(
            "--mbs-gone",
            help="With --after 2h: the most bothersome symptom was gone (without it: still there).",
        ),
    ] = False,
) -> None:
    """Rate an acute dose: pain when taken, and 2, 24 or 48 hours after.

    A rating is refused before its time (a 2-hour rating from 2 hours after the dose on).

    Example: migraine attack rate 12 --dose 1 --after 2h --pain 0 --mbs-gone
    """
    from migraine_diary.diary import acute
    from migraine_diary.domain import dates
    from migraine_diary.render import acute as render_acute

    number = id_of(attack_id, "attack ID")
    rated = acute.rate(
        existing_diary(ctx),
        number,
        dose=dose,
        session=session,
        at_dose=at_dose,
        after=after,
        pain=pain,
        mbs_gone=mbs_gone,
        now=dates.now(),
    )
    say(render_acute.rated_line(rated.attack_id, rated.what, rated.values))


@attack_app.command("due")
def due(ctx: typer.Context, since: Since = None, json: Json = False) -> None:
    """Doses whose 2-hour rating is missing (the last 7 days unless --since), with the command.

    Example: migraine attack due
    """
    from migraine_diary.diary import acute
    from migraine_diary.domain import dates

    now = dates.now()
    since_day = dates.parse_day(since, field="since") if since else None
    found = acute.due_ratings(diary_from(ctx, write=False), now, since_day)
    if json:
        print_json(
            {
                "due": [d.to_json() for d in found.due],
                "older_unrated": found.older,
                "untimed_unrated": len(found.untimed),
            }
        )
        return
    from migraine_diary.render import acute as render_acute

    render_acute.due_table(
        [(d.treatment, d.due_at, acute.due_command(d.treatment.attack_id, d.treatment.number))
         for d in found.due],
        found.older,
        now,
        [acute.due_command(t.attack_id, t.number) for t in found.untimed],
    )  # fmt: skip
