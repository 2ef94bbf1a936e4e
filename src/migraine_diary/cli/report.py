"""`migraine report`: the visit summary for a doctor, as a printable HTML page or Markdown.

Only typer (and the standard library) is imported at module level: the database, scipy,
matplotlib and Jinja2 load inside the command, so `--help` and Tab completion stay instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migraine_diary.cli.common import (
    Force,
    Months,
    Since,
    State,
    Until,
    client_option,
    diary_option,
    one_person_diary,
    output_file,
    say,
    settings_of,
)

app = typer.Typer()

if TYPE_CHECKING:
    from datetime import date

FORMATS = ("html", "md")
QUESTION_RULE = "text of 1 to 300 characters"
MAX_QUESTION = 300


@app.command()
def report(
    ctx: typer.Context,
    months: Months = None,
    since: Since = None,
    until: Until = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: migraine-report-DATE.html here, or -2, -3, ... if "
            "taken; Markdown goes to standard output).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    force: Force = False,
    open_it: Annotated[
        bool, typer.Option("--open", help="Open the HTML report in your web browser.")
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="html (a page to print) or md (Markdown for a patient portal).",
            metavar="html|md",
        ),
    ] = "html",
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            "-q",
            help="A question for your doctor, printed in a box on the report. Repeat for more.",
            metavar="TEXT",
        ),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            help="In practice mode: the client the report is for (as the root --client).",
            metavar="NAME",
        ),
    ] = None,
) -> None:
    """A report to take to your doctor: migraine days, acute medication against the ICHD-3
    overuse limits, each treatment with what it did and cost, the attacks, your questions.
    Default period: the 3 complete calendar months before this one (report_months in the
    config file), and this month so far;
    at most 10 years (the last day's month and the 120 before it). At most two printed pages.

    Example: migraine report --question 'Should I try a preventive?' --open
    """
    from migraine_diary.errors import InputError, field_error

    if format not in FORMATS:
        raise field_error("format", "html or md", format)
    if open_it and format != "html":
        raise InputError("--open works with --format html only")
    questions = [" ".join(q.split()) for q in question or []]
    for asked, clean in zip(question or [], questions, strict=True):
        if not clean or len(clean) > MAX_QUESTION:
            raise field_error("question", QUESTION_RULE, asked)
    if client is not None:
        state = ctx.ensure_object(State)
        state.client, state.settings = client, None  # read again, this --client first
    settings = settings_of(ctx)
    if months is None and since is None and until is None:
        months = str(settings["report_months"].value)
    first, last, today = report_period(months, since, until)
    from migraine_diary.diary import files
    from migraine_diary.diary import report as report_data
    from migraine_diary.domain.words import plural
    from migraine_diary.render.report import Letterhead, render_html, render_markdown
    from migraine_diary.transfer.output import free_name

    if output is None and format == "html":
        output = Path(f"migraine-report-{today.isoformat()}.html")
        output = output if force else free_name(output)

    files.existing_path(diary_option(ctx), "log a session or an attack first")
    data = report_data.build_report(one_person_diary(ctx, "report"), first, last, questions, today)
    letterhead = Letterhead(
        settings["practice_name"].value, settings["practice_address"].value, client_option(ctx)
    )
    render = render_html if format == "html" else render_markdown
    text = render(data, letterhead)
    with output_file(ctx, output, force=force) as out:
        out.write(text)
    if output is None:
        return
    therapies = plural(len(data.therapies), "therapy", "therapies")
    say(
        f"Wrote the report for {first} to {last} to {output} "
        f"({therapies}, {plural(len(data.attacks), 'attack')}).",
        err=True,
    )
    if open_it:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            say(f"Could not open a web browser here; open the report yourself: {output.resolve()}")


def report_period(
    months: str | None, since: str | None, until: str | None
) -> tuple[date, date, date]:
    """First and last day of the report, and today: the period `calendar` and `meds` show,
    never past today (days still to come would read as unrecorded)."""
    from migraine_diary.diary.days import date_range
    from migraine_diary.domain.dates import current_day
    from migraine_diary.errors import field_error

    today = current_day()
    first, last = date_range(months, since, until, today)
    if last > today:
        raise field_error("until", "today or a day before it", until)
    return first, last, today
