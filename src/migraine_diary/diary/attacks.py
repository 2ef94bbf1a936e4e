"""The attack diary's use cases in the user's words: log, end, edit, delete, show and list
attacks, and the typed input they take.

Stored rows become `domain.attack.Attack`s here; which day is what stays in `diary.days`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from migraine_diary import storage as db
from migraine_diary.diary.days import month_overuse
from migraine_diary.domain import dates, days
from migraine_diary.domain.attack import (
    Attack,
    AttackDetail,
    DetailCounts,
    Dose,
    Logged,
    Origin,
    Relief,
    overlap,
)
from migraine_diary.domain.dates import (
    day_start,
    format_local,
    from_storage,
    local_day,
    to_storage,
)
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.medications import Classes
from migraine_diary.domain.models import (
    CLOCK_SLACK,
    DETAIL_FIELDS,
    RULES,
    AttackInput,
    detail_key,
    parse_helpfulness,
    parse_hours,
    validate_attack,
)
from migraine_diary.errors import DiaryError, InputError, field_error

# Field names as the command line shows them.
LABELS = {
    "start": "when",
    "end": "until",
    "taken_at": "med time",
    "medications": "med",
    "triggers": "trigger",
    "symptoms": "symptom",
    "pain_positions": "pain-position",
}
TYPED = "typed"
_CLOCK = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")


PAGE = 1000


def _detail(rows: Sequence[tuple[Any, ...]]) -> AttackDetail:
    """An attack's stored (kind, value, helpfulness) rows as its detail lists."""
    by_kind: dict[str, list[str]] = {}
    relief = []
    for kind, value, helpfulness in rows:
        if kind == "relief":
            relief.append(Relief(value, helpfulness))
        else:
            by_kind.setdefault(kind, []).append(value)
    bothersome = by_kind.get("most_bothersome", [])
    return AttackDetail(
        triggers=tuple(by_kind.get("trigger", ())),
        symptoms=tuple(by_kind.get("symptom", ())),
        pain_positions=tuple(by_kind.get("pain_position", ())),
        most_bothersome=bothersome[0] if bothersome else None,
        relief=tuple(relief),
    )


def attacks_from(
    conn: Any, rows: Sequence[tuple[Any, ...]], classes: Classes | None = None
) -> list[Attack]:
    ids = [r[0] for r in rows]
    meds = db.medications_of(conn, ids)
    details = db.details_of(conn, ids)
    origins = db.origins_of(conn, ids)
    classes = classes or Classes(db.user_classes(conn))
    return [
        Attack(
            id=r[0],
            start=from_storage(r[1]),
            end=from_storage(r[2]) if r[2] else None,
            peak=r[3],
            aura=bool(r[4]),
            notes=r[5],
            source=r[6],
            medications=tuple(
                Dose(
                    name,
                    classes.of(name),
                    helpfulness,
                    from_storage(taken_at) if taken_at else None,
                )
                for name, helpfulness, taken_at in meds.get(r[0], ())
            ),
            detail=_detail(details.get(r[0], ())),
            origin=Origin(*origins[r[0]]) if r[0] in origins else None,
        )
        for r in rows
    ]


def _no_attack(attack_id: int) -> DiaryError:
    return DiaryError(
        f"no attack with id {attack_id}; see the ids with: {command_line('attack list')}"
    )


def _attack_by_id(conn: Any, attack_id: int, *, to_change: bool = False) -> Attack:
    row = db.attack_by_id(conn, attack_id, to_change=to_change)
    if row is None:
        raise _no_attack(attack_id)
    return attacks_from(conn, [row])[0]


def get_attack(diary: db.Diary | None, attack_id: int) -> Attack:
    if diary is None:
        raise _no_attack(attack_id)
    with diary.connect() as conn:
        return _attack_by_id(conn, attack_id)


def list_attacks(
    diary: db.Diary | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    search: str | None = None,
    *,
    trigger: str | None = None,
) -> tuple[list[Attack], int]:
    """Attacks that started in the days given (with `search` in their notes; with `trigger`,
    only those it was recorded for, in any case), newest first, and how many match in all."""
    from migraine_diary.diary.sessions import search_text

    found = search_text(search)
    if diary is None:
        return [], 0
    low, high = _started_within(since, until)
    detail = ("trigger", detail_key(trigger)) if trigger is not None else None
    with diary.connect() as conn:
        _known_trigger(conn, trigger)
        rows = db.attack_rows(conn, low, high, limit, found, detail)
        total = (
            len(rows)
            if limit is None or len(rows) < limit
            else db.count_attacks(conn, low, high, found, detail)
        )
        return attacks_from(conn, rows), total


def _started_within(since: dt.date | None, until: dt.date | None) -> tuple[str | None, str | None]:
    low = to_storage(day_start(since)) if since else None
    high = to_storage(day_start(until + dt.timedelta(days=1))) if until else None
    return low, high


def each_attack(
    conn: Any,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    newest_first: bool,
    search: str | None = None,
    trigger: str | None = None,
) -> Iterator[tuple[Attack, str | None]]:
    """Every attack that started in the days given (with `search` in its notes, `trigger`
    among its triggers), with its import key, a page at a time: memory stays the same however
    long the diary."""
    from migraine_diary.diary.sessions import search_text

    low, high = _started_within(since, until)
    found = search_text(search)
    detail = ("trigger", detail_key(trigger)) if trigger is not None else None
    classes = Classes(db.user_classes(conn))
    after: tuple[str, int] | None = None
    while True:
        rows = db.attack_page(
            conn,
            low,
            high,
            after=after,
            newest_first=newest_first,
            size=PAGE,
            search=found,
            detail=detail,
        )
        for attack, row in zip(attacks_from(conn, rows, classes), rows, strict=True):
            yield attack, row[7]
        if len(rows) < PAGE:
            return
        after = (rows[-1][1], rows[-1][0])


def stream_attacks(
    diary: db.Diary | None,
    since: dt.date | None,
    until: dt.date | None,
    search: str | None = None,
    *,
    trigger: str | None = None,
) -> Iterator[Attack]:
    """Every matching attack, newest first, streamed (`attack list --json`); a trigger the
    diary has never recorded is refused before the first one is written."""
    if diary is None:
        return iter(())
    with diary.connect() as conn:
        _known_trigger(conn, trigger)

    def streamed() -> Iterator[Attack]:
        with diary.connect() as conn:
            for attack, _ in each_attack(
                conn, since, until, newest_first=True, search=search, trigger=trigger
            ):
                yield attack

    return streamed()


def _known_trigger(conn: Any, trigger: str | None) -> None:
    """A trigger filter naming no trigger of any attack: a typo would show "No attacks"."""
    if trigger is None:
        return
    from migraine_diary.diary.therapies import unknown_name

    known = {detail_key(value): value for value, _ in db.detail_counts(conn, "trigger", None, None)}
    if detail_key(trigger) not in known:
        raise unknown_name("trigger", trigger, known, "triggers")


def detail_counts(
    diary: db.Diary | None, kind: str, since: dt.date | None, until: dt.date | None
) -> DetailCounts:
    """How many of the attacks that started in the days given had each trigger (or symptom,
    ...): `migraine triggers`."""
    if diary is None:
        return DetailCounts(kind, since, until, 0, 0, [])
    low, high = _started_within(since, until)
    with diary.connect() as conn:
        return DetailCounts(
            kind,
            since,
            until,
            db.count_attacks(conn, low, high),
            db.count_with_detail(conn, kind, low, high),
            db.detail_counts(conn, kind, low, high),
        )


def overdue(diary: db.Diary | None, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(id, start) of the attacks still ongoing past the 72 hours an ongoing one counts for:
    their later days are unknown until they are ended."""
    if diary is None:
        return []
    with diary.connect() as conn:
        ongoing = [(i, from_storage(s)) for i, s in db.ongoing_attacks(conn)]
    return [(i, start) for i, start in ongoing if now > start + days.ONGOING_LIMIT]


# ---------------------------------------------------------------------- typed input


def length_given(hours: str | None, until: str | None, ongoing: bool) -> int:
    """How many of --hours, --until and --ongoing were given (more than one is an error)."""
    count = sum((hours is not None, until is not None, ongoing))
    if count > 1:
        raise InputError("give only one of --hours, --until and --ongoing")
    return count


def moment_after(
    text: str, start: dt.datetime, *, field: str, rule: str, nearest: bool = False
) -> dt.datetime:
    """A moment typed for an attack: a time alone (`18:30`) is the first such time after the
    start (an end), or with `nearest` the one closest to the start (a dose may come first).

    `rule` is the RULES key whose wording an error message uses.
    """
    clock = _CLOCK.match(text)
    if clock is None:
        return dates.parse_when(text, field=field, rule=RULES[rule])
    hour, minute = int(clock[1]), int(clock[2])
    if hour > 23 or minute > 59:
        raise field_error(field, RULES[rule], text)
    naive = dt.datetime.combine(local_day(start), dt.time(hour, minute))
    walls = [naive + dt.timedelta(days=shift) for shift in (-1, 0, 1)]
    candidates = [wall.astimezone().astimezone(dt.UTC) for wall in walls]
    if nearest:
        chosen = min(range(3), key=lambda n: abs(candidates[n] - start))
    else:
        chosen = next(n for n in range(3) if candidates[n] > start)
    # A time the clocks skipped is refused and a repeated one noted, as when typed in full.
    return dates.local_instant(walls[chosen])


def _end(
    start: dt.datetime, hours: str | None, until: str | None, now: dt.datetime
) -> dt.datetime | None:
    if hours is not None:
        end = start + parse_hours(hours)
        if end > now + CLOCK_SLACK:
            raise InputError(
                f"an attack from {format_local(start)} lasting {hours} h would end in the "
                f"future ({format_local(end)}); log it with --ongoing and end it later with: "
                + command_line("attack end ID")
            )
        return end
    if until is not None:
        end = moment_after(until, start, field="until", rule="until")
        if not start < end <= now + CLOCK_SLACK:
            raise field_error("until", RULES["until"], until)
        return end
    return None


def parse_med(text: str, start: dt.datetime) -> dict[str, Any]:
    """`NAME[@TIME][=HELPFULNESS]`, e.g. `sumatriptan 50mg@14:30=helpful`."""
    name, helpfulness, taken_at = text, None, None
    if "=" in name:
        name, _, word = name.rpartition("=")
        helpfulness = parse_helpfulness(word)
    if "@" in name:
        name, _, when = name.rpartition("@")
        taken_at = moment_after(
            when.strip(), start, field="med time", rule="taken_at", nearest=True
        )
    return {"name": name, "helpfulness": helpfulness, "taken_at": taken_at}


def typed_attack(
    *,
    when: str | None,
    hours: str | None,
    until: str | None,
    ongoing: bool,
    peak: str,
    aura: bool,
    meds: Sequence[str],
    notes: str | None,
    now: dt.datetime,
    detail: dict[str, Sequence[str]] | None = None,
) -> AttackInput:
    """An attack as typed on the command line, checked before the diary is touched.

    `detail` holds the lists typed with --trigger, --symptom, --pain-position and --relief
    (`METHOD[=HELPFULNESS]`), by AttackInput field.

    Without --when, --hours counts back from now (it just ended) and --ongoing starts now;
    --until needs --when.
    """
    length_given(hours, until, ongoing)
    if when:
        start = dates.parse_when(when)
        if start > now + CLOCK_SLACK:
            raise dates.refused_ahead("when", when, start)
    elif until is not None:
        raise InputError("--until needs --when: when the attack began")
    else:
        start = now - parse_hours(hours) if hours is not None else now
    data: dict[str, Any] = {
        "start": start,
        "peak": peak,
        "aura": aura,
        "notes": notes,
        "source": TYPED,
    }
    typed = {"start": when or "now"}
    # Report the fields in the order they were typed: start, peak, then length and medication.
    validate_attack(data, label=LABELS, typed=typed, now=now)
    data["end"] = _end(start, hours, until, now)
    data["medications"] = [parse_med(m, start) for m in meds]
    for name, values in (detail or {}).items():
        data[name] = [parse_relief(v) for v in values] if name == "relief" else list(values)
    return validate_attack(data, label=LABELS, typed=typed, now=now)


def parse_relief(text: str) -> dict[str, Any]:
    """`METHOD[=HELPFULNESS]`, e.g. `dark room=helpful`."""
    if "=" in text:
        method, _, word = text.rpartition("=")
        return {"method": method, "helpfulness": parse_helpfulness(word)}
    return {"method": text, "helpfulness": None}


def detail_rows(attack: AttackInput, attack_id: int) -> list[dict[str, Any]]:
    """The stored rows of an attack's detail lists."""
    rows = []
    for name, kind in DETAIL_FIELDS.items():
        value = getattr(attack, name)
        items = value if isinstance(value, tuple) else (() if value is None else (value,))
        for item in items:
            text, helpfulness = (
                (item.method, item.helpfulness) if name == "relief" else (item, None)
            )
            rows.append(
                {
                    "attack_id": attack_id,
                    "kind": kind,
                    "value": text,
                    "key": detail_key(text),
                    "helpfulness": helpfulness,
                }
            )
    return rows


# ------------------------------------------------------------------------- changes


def _store(conn: Any, attack: AttackInput) -> tuple[int | None, bool]:
    """Insert one attack and its medications: its id, None when it was imported before; and
    whether it instead ended a stored ongoing import (same start and peak)."""
    from migraine_diary.storage.tables import AttackRow, MedicationRow

    values = AttackRow.from_input(attack).model_dump(exclude={"id"})
    if attack.import_key is not None and attack.end is not None and db.end_imported(conn, values):
        return None, True
    attack_id = db.insert_attack(conn, values)
    if attack_id is not None and attack.mbs is not None:
        db.set_mbs(conn, attack_id, attack.mbs)
    if attack_id is not None:
        db.insert_medications(
            conn,
            [
                MedicationRow.from_input(m, attack_id).model_dump(exclude={"id"})
                for m in attack.medications
            ],
        )
        db.insert_details(conn, detail_rows(attack, attack_id))
        if attack.start_offset is not None:
            db.insert_origin(conn, attack_id, attack.start_offset, attack.end_offset)
    return attack_id, False


def add_attacks(
    diary: db.Diary, attacks: Sequence[AttackInput], *, dry_run: bool = False
) -> tuple[int, int, int]:
    """Store attacks in one transaction: how many were added, how many were there already
    (same start, end and peak), and how many of those were ongoing and now get the end this
    file gives them. `dry_run` counts the same way, then stores nothing."""
    added = already = ended = 0
    with diary.transaction() as conn:
        for attack in attacks:
            attack_id, was_ongoing = _store(conn, attack)
            if attack_id is not None:
                added += 1
                continue
            already += 1
            ended += was_ongoing
        if dry_run:
            conn.rollback()
    return added, already, ended


def _span_text(start: dt.datetime, end: dt.datetime | None) -> str:
    if end is None:
        return f"{format_local(start)}, ongoing"
    until = format_local(end)
    same_day = until[:10] == format_local(start)[:10]
    return f"{format_local(start)} to {until[11:] if same_day else until}"


def _refuse_conflicts(
    conn: Any,
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    allow_overlap: bool,
    itself: int | None = None,
) -> None:
    """One ongoing attack at a time, and no attack overlapping another unless asked for: a
    duplicate would count its days twice, a second ongoing one hides a forgotten first."""
    others = [(i, from_storage(s)) for i, s in db.ongoing_attacks(conn) if i != itself]
    if end is None and others:
        other_id, other_start = others[0]
        raise DiaryError(
            f"attack {other_id} is still ongoing (since {format_local(other_start)}): end it "
            f"first with '{command_line(f'attack end {other_id} --when ...')}'"
        )
    if allow_overlap:
        return
    until = to_storage(end) if end is not None else "9999-12-31T00:00:00+00:00"
    seen: set[int] = set()
    for other_id, other_start, other_end, *_ in db.attacks_touching(conn, to_storage(start), until):
        if other_id == itself or other_id in seen:
            continue
        seen.add(other_id)
        began = from_storage(other_start)
        ended = from_storage(other_end) if other_end else None
        if overlap(start, end, began, ended):
            raise DiaryError(
                f"this attack ({_span_text(start, end)}) overlaps attack {other_id} "
                f"({_span_text(began, ended)}): change or delete that one with "
                f"'{command_line(f'attack edit {other_id}')}' or "
                f"'{command_line(f'attack delete {other_id}')}', or add --allow-overlap to "
                "keep both"
            )


def log_attack(
    diary: db.Diary,
    attack: AttackInput,
    now: dt.datetime,
    *,
    allow_overlap: bool = False,
    mbs: str | None = None,
) -> Logged:
    """Store one attack; report its month against the overuse thresholds. A check-in on one
    of its days said there was no migraine: the attack replaces it."""
    with diary.transaction() as conn:
        _refuse_conflicts(conn, attack.start, attack.end, allow_overlap=allow_overlap)
        attack_id, _ = _store(conn, attack)
        assert attack_id is not None
        db.note_addition(conn, attack_id=attack_id)
        if mbs is not None:
            db.set_mbs(conn, attack_id, mbs)
        stored = _attack_by_id(conn, attack_id)
        first, last = stored.span().local_days(dates.LOCAL, now)
        replaced = db.delete_checkins(conn, first.isoformat(), last.isoformat())
        ongoing = [(i, from_storage(s)) for i, s in db.ongoing_attacks(conn) if i != attack_id]
    return Logged(
        stored,
        month_overuse(diary, local_day(stored.start), now),
        ongoing,
        [dt.date.fromisoformat(d) for d in replaced],
    )


def end_attack(diary: db.Diary, attack_id: int, when: str | None, now: dt.datetime) -> Attack:
    """Give an ongoing attack its end (now, unless --when says otherwise)."""
    with diary.transaction() as conn:
        attack = _attack_by_id(conn, attack_id, to_change=True)
        if attack.end is not None:
            raise DiaryError(
                f"attack {attack_id} already ended at {format_local(attack.end)}; change it "
                f"with: {command_line(f'attack edit {attack_id} --until W')}"
            )
        end = moment_after(when, attack.start, field="when", rule="end") if when else now
        if not attack.start < end <= now + CLOCK_SLACK:
            raise field_error("when", RULES["end"], when or format_local(end))
        db.update_attack(conn, attack_id, {"end": to_storage(end)})
        return _attack_by_id(conn, attack_id)


def edit_attack(
    diary: db.Diary,
    attack_id: int,
    *,
    when: str | None = None,
    hours: str | None = None,
    until: str | None = None,
    ongoing: bool = False,
    peak: str | None = None,
    aura: bool | None = None,
    add_meds: Sequence[str] = (),
    clear_meds: bool = False,
    notes: str | None = None,
    now: dt.datetime,
    allow_overlap: bool = False,
    mbs: str | None = None,
    detail: Mapping[str, Sequence[str]] | None = None,
) -> Attack:
    """Change some fields of an attack; the whole attack is checked again.

    A new start alone keeps the stored end; --hours counts from the (new) start. `detail`
    holds the lists to set anew, by AttackInput field (as `typed_attack` takes them); an
    empty list clears one, and the lists not in it stay.
    """
    given = length_given(hours, until, ongoing)
    detail = detail or {}
    if not (when or given or peak is not None or aura is not None or add_meds or clear_meds) and (
        notes is None and mbs is None and not detail
    ):
        raise InputError("nothing to change: give at least one option, e.g. --peak 6")
    with diary.transaction() as conn:
        current = _attack_by_id(conn, attack_id, to_change=True)
        start = dates.parse_when(when) if when else current.start
        if when and start > now + CLOCK_SLACK:
            raise dates.refused_ahead("when", when, start)
        end = _end(start, hours, until, now) if given else current.end
        kept = [] if clear_meds else [d.as_input() for d in current.medications]
        data: dict[str, Any] = {
            "start": start,
            "end": end,
            "peak": peak if peak is not None else current.peak,
            "aura": aura if aura is not None else current.aura,
            "notes": notes if notes is not None else current.notes,
            "source": current.source,
            "medications": [*kept, *(parse_med(m, start) for m in add_meds)],
        }
        for name, values in detail.items():
            data[name] = [parse_relief(v) for v in values] if name == "relief" else list(values)
        typed = {"start": when or format_local(start)}
        if end is not None and not given:
            typed["end"] = format_local(end)
        attack = validate_attack(data, label=LABELS, typed=typed, now=now)
        if when or given:  # a change of peak or notes is no new conflict
            _refuse_conflicts(
                conn, attack.start, attack.end, allow_overlap=allow_overlap, itself=attack_id
            )
        from migraine_diary.storage.tables import AttackRow, MedicationRow

        row = AttackRow.from_input(attack).model_dump(exclude={"id", "source", "import_key"})
        db.update_attack(conn, attack_id, row)
        # Kept doses keep their rows, so their ratings (after 2 hours...) stay with them.
        if clear_meds:
            db.delete_medications(conn, attack_id)
        db.insert_medications(
            conn,
            [
                MedicationRow.from_input(m, attack_id).model_dump(exclude={"id"})
                for m in attack.medications[len(kept) :]
            ],
        )
        if mbs is not None:
            db.set_mbs(conn, attack_id, mbs or None)
        kinds = [DETAIL_FIELDS[name] for name in detail]
        rows = [r for r in detail_rows(attack, attack_id) if r["kind"] in kinds]
        db.replace_detail_lists(conn, attack_id, kinds, rows)
        return _attack_by_id(conn, attack_id)


def delete_attack(diary: db.Diary, attack_id: int) -> None:
    with diary.transaction() as conn:
        if db.delete_attack(conn, attack_id) == 0:
            raise _no_attack(attack_id)


def add_history(
    diary: db.Diary,
    attacks: Sequence[AttackInput],
    checkins: Iterable[dt.date] = (),
    kept: Iterable[tuple[dt.date, dt.date]] = (),
) -> None:
    """Store many attacks, check-ins and kept ranges in one transaction (the demo diary)."""
    with diary.transaction() as conn:
        for attack in attacks:
            _store(conn, attack)
        for day in checkins:
            db.add_checkin(conn, day.isoformat())
        for first, last in kept:
            db.add_kept_range(conn, first.isoformat(), last.isoformat())
