"""Commands about days: check-ins, kept ranges, the calendar, medication days, medclass."""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli.common import (
    Json,
    Months,
    Since,
    Until,
    diary_from,
    one_person_diary,
    print_json,
    say,
    writable_diary,
)
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.words import plural

app = typer.Typer()


@app.command()
def checkin(
    ctx: typer.Context,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", help="The day: 2026-11-20, yesterday (default: today).", metavar="D"
        ),
    ] = None,
) -> None:
    """Record a day without a migraine, so it counts as migraine-free rather than unknown.

    A day is recorded when an attack, a check-in or a `kept` range covers it (a session alone
    does not). Refused on a day an attack touches.

    Example: migraine checkin --date yesterday
    """
    from migraine_diary.diary import days
    from migraine_diary.domain import dates

    today = dates.local_today(dates.now())
    day = days.check_day(date, field="date", today=today)
    if days.checkin(writable_diary(ctx), day):
        say(f"Checked in {day}: no migraine that day.")
    else:
        say(f"{day} was already checked in; nothing changed.")


@app.command()
def kept(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(metavar="FROM", help="First day.", show_default=False)],
    last: Annotated[str, typer.Argument(metavar="TO", help="Last day.", show_default=False)],
) -> None:
    """Declare the days FROM to TO fully recorded, e.g. a paper diary typed in later.

    Days in the range without an attack count as migraine-free, not unknown.

    Example: migraine kept 2026-09-01 2026-09-30
    """
    from migraine_diary.diary import days
    from migraine_diary.domain import dates

    today = dates.local_today(dates.now())
    first_day = days.check_day(first, field="FROM", today=today)
    last_day = days.check_day(last, field="TO", today=today)
    if first_day > last_day:
        from migraine_diary.errors import InputError

        raise InputError(f"FROM must be on or before TO (got {first_day} after {last_day})")
    span = f"{first_day} to {last_day}"
    if days.keep(writable_diary(ctx), first_day, last_day):
        count = (last_day - first_day).days + 1
        say(
            f"Kept {span} ({plural(count, 'day')}): days without an attack "
            "there count as migraine-free."
        )
    else:
        say(f"{span} was already kept; nothing changed.")


@app.command("calendar")
def calendar_(
    ctx: typer.Context,
    months: Months = None,
    since: Since = None,
    until: Until = None,
    json: Json = False,
) -> None:
    """A month grid: migraine days, other attacks, migraine-free and unknown days, sessions.

    M migraine day, a attack (not a migraine day, or a session during an attack of unknown
    length), · migraine-free, ? nothing recorded.

    * after a day: a treatment session that day.

    Migraine day: an attack of 30 minutes or more or with aura, or a migraine-specific drug.
    An ongoing attack counts for 72 hours at most; later days are unknown until it is ended.
    At most 10 years (the last day's month and the 120 before it).

    Example: migraine calendar --months 2
    """
    from migraine_diary.diary import days
    from migraine_diary.domain import dates

    now = dates.now()
    today = dates.local_today(now)
    first, last = days.date_range(months, since, until, today)
    summaries = days.calendar_months(one_person_diary(ctx, "calendar"), first, last, now)
    if json:
        from migraine_diary.domain.days import calendar_json

        print_json(calendar_json(summaries))
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.calendar_view(summaries, today)


@app.command()
def meds(
    ctx: typer.Context,
    months: Months = None,
    since: Since = None,
    until: Until = None,
    json: Json = False,
) -> None:
    """Days with acute medication per month, by class, against the ICHD-3 overuse levels.

    Warns when three months in a row are over a level. Counts whole calendar months, at
    most 10 years of them (the last day's month and the 120 before it).

    Example: migraine meds --months 6
    """
    from migraine_diary.diary import days
    from migraine_diary.domain import dates

    now = dates.now()
    today = dates.local_today(now)
    first, last = days.date_range(months, since, until, today)
    report = days.meds_report(one_person_diary(ctx, "meds"), first, last, now)
    if json:
        from migraine_diary.domain.days import meds_json

        print_json(meds_json(report.months))
        return
    from migraine_diary.render import attacks as render_attacks

    render_attacks.meds_table(report)


@app.command()
def medclass(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="A medication name as logged.", show_default=False)
    ] = None,
    med_class: Annotated[
        str | None,
        typer.Argument(
            metavar="CLASS",
            help="triptan, simple_analgesic, combination_analgesic, opioid, ergot, gepant, "
            "ditan or other.",
            show_default=False,
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Set the class of a medication name the built-in table does not know (or show classes).

    No arguments: every name in the diary with its class. NAME: its class.

    NAME CLASS: from now on NAME (any dose, any case) counts as CLASS, in every attack.

    Example: migraine medclass 'Migrastop' triptan
    """
    from migraine_diary.diary import medclass as med_classes

    if name is None:
        rows = med_classes.name_classes(diary_from(ctx, write=False))
        if json:
            print_json(
                [
                    {"name": r.name, "class": r.med_class, "from": r.origin, "doses": r.doses}
                    for r in rows
                ]
            )
            return
        from migraine_diary.render import attacks as render_attacks

        render_attacks.name_classes_table(rows)
        return
    from migraine_diary.domain.medications import class_label

    if med_class is None:
        found = med_classes.describe_name(diary_from(ctx, write=False), name)
        if json:
            print_json({"name": found.name, "class": found.med_class, "from": found.origin})
        elif found.med_class is None:
            say(
                f"{name!r} is not in the medication table: unclassified. Set its class with: "
                + command_line(f"medclass {name!r} CLASS")
            )
        else:
            source = "your class" if found.origin == "yours" else "built-in table"
            say(f"{name!r} is {class_label(found.med_class)} ({source}).")
        return
    clean, chosen = med_classes.check_class(name, med_class)
    from migraine_diary.domain.medications import classify

    builtin = classify(clean)
    result = med_classes.set_class(writable_diary(ctx), clean, chosen)
    note = ""
    if builtin is not None and builtin != chosen:
        note = f" (instead of the built-in {class_label(builtin)})"
    doses = plural(result.doses, "logged dose")
    say(f"{clean!r} now counts as {class_label(chosen)}{note}: {doses}.")
