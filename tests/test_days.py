"""Day statuses, month summaries and medication-overuse flags."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import pytest

from migraine_diary.domain.days import (
    OVERUSE_WARNING,
    AttackSpan,
    DayStatus,
    MedicationTaken,
    MonthSummary,
    add_months,
    calendar_json,
    current_month_flags,
    current_month_overuse,
    day_statuses,
    last_months,
    meds_json,
    month_summary,
    months,
    overuse,
    overuse_warning,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2024, 12, 31, 12, 0, tzinfo=BERLIN)

SUMA = MedicationTaken("sumatriptan 50mg", "triptan", None)
IBU = MedicationTaken("ibuprofen 400mg", "simple_analgesic", None)


def at(day: dt.date | str, hh: int = 12, mm: int = 0, tz: dt.tzinfo = BERLIN) -> dt.datetime:
    d = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime(d.year, d.month, d.day, hh, mm, tzinfo=tz)


def attack(
    start: dt.datetime,
    minutes: float | None,
    *,
    aura: bool = False,
    meds: Sequence[MedicationTaken] = (),
) -> AttackSpan:
    end = None if minutes is None else start + dt.timedelta(minutes=minutes)
    return AttackSpan(start=start, end=end, aura=aura, medications=tuple(meds))


def statuses(
    first: str,
    last: str,
    attacks: Iterable[AttackSpan] = (),
    *,
    sessions: Iterable[dt.datetime] = (),
    attack_sessions: Iterable[dt.datetime] = (),
    checkins: Iterable[dt.date] = (),
    kept: Iterable[tuple[dt.date, dt.date]] = (),
    tz: dt.tzinfo = BERLIN,
    now: dt.datetime = NOW,
) -> dict[dt.date, DayStatus]:
    return day_statuses(
        dt.date.fromisoformat(first),
        dt.date.fromisoformat(last),
        attacks=attacks,
        session_times=sessions,
        attack_sessions=attack_sessions,
        checkins=checkins,
        kept_ranges=kept,
        tz=tz,
        now=now,
    )


def status_of(result: dict[dt.date, DayStatus], day: str) -> str:
    return result[dt.date.fromisoformat(day)].status


# --- recorded, free and unknown ----------------------------------------------------------


def test_every_day_in_range_is_reported_and_unrecorded_days_are_unknown() -> None:
    result = statuses("2024-11-01", "2024-11-30")
    assert sorted(result) == [dt.date(2024, 11, d) for d in range(1, 31)]
    assert {s.status for s in result.values()} == {"unknown"}
    assert not any(s.recorded for s in result.values())


def test_checkin_and_kept_range_make_free_days_and_a_session_alone_does_not() -> None:
    result = statuses(
        "2024-11-01",
        "2024-11-10",
        checkins=[dt.date(2024, 11, 2)],
        sessions=[at("2024-11-04", 9)],
        kept=[(dt.date(2024, 11, 6), dt.date(2024, 11, 8))],
    )
    assert status_of(result, "2024-11-01") == "unknown"
    assert status_of(result, "2024-11-02") == "free"
    assert status_of(result, "2024-11-03") == "unknown"
    # a session says nothing about the rest of its day: its day stays unknown, marked
    assert status_of(result, "2024-11-04") == "unknown"
    assert result[dt.date(2024, 11, 4)].session is True
    assert result[dt.date(2024, 11, 2)].session is False
    assert status_of(result, "2024-11-05") == "unknown"
    assert [status_of(result, f"2024-11-0{d}") for d in (6, 7, 8)] == ["free"] * 3
    assert status_of(result, "2024-11-09") == "unknown"


def test_kept_range_is_clipped_to_the_requested_days() -> None:
    result = statuses(
        "2024-11-10", "2024-11-12", kept=[(dt.date(2024, 1, 1), dt.date(2024, 11, 11))]
    )
    assert [s.status for s in result.values()] == ["free", "free", "unknown"]


def test_session_date_is_taken_in_the_local_zone() -> None:
    # 23:30 UTC on 3 Nov is 00:30 on 4 Nov in Berlin
    late = dt.datetime(2024, 11, 3, 23, 30, tzinfo=dt.UTC)
    result = statuses("2024-11-03", "2024-11-04", sessions=[late])
    assert result[dt.date(2024, 11, 3)].session is False
    assert result[dt.date(2024, 11, 4)].session is True


def test_backwards_kept_range_and_range_are_errors() -> None:
    with pytest.raises(ValueError, match="after it ends"):
        statuses("2024-11-01", "2024-11-02", kept=[(dt.date(2024, 11, 2), dt.date(2024, 11, 1))])
    with pytest.raises(ValueError, match="after last day"):
        statuses("2024-11-02", "2024-11-01")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        AttackSpan(start=dt.datetime(2024, 11, 1, 12), end=None, aura=False, medications=())
    with pytest.raises(ValueError, match="timezone-aware"):
        statuses("2024-11-01", "2024-11-01", sessions=[dt.datetime(2024, 11, 1, 9)])


def test_attack_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="end before"):
        attack(at("2024-11-01"), -5)


# --- migraine days -------------------------------------------------------------------------


def test_attack_of_30_minutes_is_a_migraine_day_29_is_not() -> None:
    result = statuses(
        "2024-11-01",
        "2024-11-02",
        [attack(at("2024-11-01"), 30), attack(at("2024-11-02"), 29)],
    )
    assert status_of(result, "2024-11-01") == "migraine"
    assert status_of(result, "2024-11-02") == "attack"
    assert result[dt.date(2024, 11, 2)].recorded is True


def test_short_attack_with_aura_is_a_migraine_day() -> None:
    result = statuses("2024-11-01", "2024-11-01", [attack(at("2024-11-01"), 10, aura=True)])
    assert status_of(result, "2024-11-01") == "migraine"


def test_short_attack_is_a_migraine_day_only_with_a_migraine_specific_medication() -> None:
    result = statuses(
        "2024-11-01",
        "2024-11-04",
        [
            attack(at("2024-11-01"), 10, meds=[IBU]),
            attack(at("2024-11-02"), 10, meds=[SUMA]),
            attack(at("2024-11-03"), 10, meds=[MedicationTaken("Nurtec", "gepant", None)]),
            attack(at("2024-11-04"), 10, meds=[MedicationTaken("mystery pill", None, None)]),
        ],
    )
    assert [s.status for s in result.values()] == ["attack", "migraine", "migraine", "attack"]
    assert result[dt.date(2024, 11, 1)].acute_classes == frozenset({"simple_analgesic"})
    assert result[dt.date(2024, 11, 4)].acute_classes == frozenset({"unclassified"})


def test_attack_past_midnight_counts_on_every_day_it_touches() -> None:
    # 22:00 on 1 Nov for 28 hours: ends 02:00 on 3 Nov
    result = statuses("2024-10-31", "2024-11-04", [attack(at("2024-11-01", 22), 28 * 60)])
    assert [s.status for s in result.values()] == [
        "unknown",
        "migraine",
        "migraine",
        "migraine",
        "unknown",
    ]


def test_short_attack_past_midnight_is_an_attack_on_both_days() -> None:
    result = statuses("2024-11-01", "2024-11-02", [attack(at("2024-11-01", 23, 50), 20)])
    assert [s.status for s in result.values()] == ["attack", "attack"]


def test_attack_ending_exactly_at_midnight_does_not_touch_the_next_day() -> None:
    result = statuses("2024-11-01", "2024-11-02", [attack(at("2024-11-01", 23), 60)])
    assert [s.status for s in result.values()] == ["migraine", "unknown"]


def test_days_are_local_days_of_the_given_zone() -> None:
    # 23:30-01:00 UTC is 00:30-02:00 in Berlin (winter): only 2 Nov.
    start = dt.datetime(2024, 11, 1, 23, 30, tzinfo=dt.UTC)
    result = statuses("2024-11-01", "2024-11-02", [attack(start, 90)])
    assert [s.status for s in result.values()] == ["unknown", "migraine"]
    utc_result = statuses("2024-11-01", "2024-11-02", [attack(start, 90)], tz=dt.UTC)
    assert [s.status for s in utc_result.values()] == ["migraine", "migraine"]


def test_end_is_converted_to_the_local_zone_too() -> None:
    # 21:00-23:30 UTC is 22:00-00:30 in Berlin: it touches 1 and 2 Nov locally.
    start = dt.datetime(2024, 11, 1, 21, 0, tzinfo=dt.UTC)
    result = statuses("2024-11-01", "2024-11-02", [attack(start, 150)])
    assert [s.status for s in result.values()] == ["migraine", "migraine"]


def test_duration_across_dst_fall_back_is_measured_in_real_time() -> None:
    # New York, 3 Nov 2024: 01:10 EDT to 01:20 EST is 70 real minutes, 10 on the wall clock.
    start = dt.datetime(2024, 11, 3, 1, 10, tzinfo=NEW_YORK)
    end = dt.datetime(2024, 11, 3, 1, 20, fold=1, tzinfo=NEW_YORK)
    span = AttackSpan(start=start, end=end, aura=False, medications=())
    assert span.duration(NOW) == dt.timedelta(minutes=70)
    result = statuses("2024-11-03", "2024-11-03", [span], tz=NEW_YORK)
    assert status_of(result, "2024-11-03") == "migraine"


def test_duration_across_dst_spring_forward_is_measured_in_real_time() -> None:
    # Berlin, 31 Mar 2024: 01:50 CET to 03:10 CEST is 20 real minutes, 80 on the wall clock.
    start = dt.datetime(2024, 3, 31, 1, 50, tzinfo=BERLIN)
    end = dt.datetime(2024, 3, 31, 3, 10, tzinfo=BERLIN)
    span = AttackSpan(start=start, end=end, aura=False, medications=())
    assert span.duration(NOW) == dt.timedelta(minutes=20)
    result = statuses("2024-03-31", "2024-03-31", [span])
    assert status_of(result, "2024-03-31") == "attack"


def test_attack_over_dst_night_touches_both_local_days() -> None:
    # Berlin, fall back on 27 Oct 2024: 23:00 on 26 Oct to 00:30 on 27 Oct.
    start = dt.datetime(2024, 10, 26, 23, 0, tzinfo=BERLIN)
    result = statuses("2024-10-26", "2024-10-28", [attack(start, 90)])
    assert [s.status for s in result.values()] == ["migraine", "migraine", "unknown"]


def test_ongoing_attack_counts_once_it_has_lasted_30_minutes_by_now() -> None:
    start = at("2024-11-05", 10)
    young = statuses(
        "2024-11-05", "2024-11-05", [attack(start, None)], now=start + dt.timedelta(minutes=29)
    )
    assert status_of(young, "2024-11-05") == "attack"
    old = statuses(
        "2024-11-05", "2024-11-05", [attack(start, None)], now=start + dt.timedelta(minutes=30)
    )
    assert status_of(old, "2024-11-05") == "migraine"


def test_ongoing_attack_counts_up_to_now_and_not_beyond() -> None:
    start = at("2024-11-05", 22)
    now = at("2024-11-07", 8)
    result = statuses("2024-11-04", "2024-11-08", [attack(start, None)], now=now)
    assert [s.status for s in result.values()] == [
        "unknown",
        "migraine",
        "migraine",
        "migraine",
        "unknown",
    ]


def test_a_forgotten_ongoing_attack_counts_72_hours_then_its_days_are_unknown() -> None:
    start = at("2024-11-05", 10)
    later = attack(at("2024-11-12", 8), 120)
    result = statuses(
        "2024-11-04",
        "2024-11-21",
        [attack(start, None), later],
        checkins=[dt.date(2024, 11, 10)],
        kept=[(dt.date(2024, 11, 13), dt.date(2024, 11, 14))],
        now=at("2024-11-20", 12),
    )
    assert [status_of(result, f"2024-11-{d:02d}") for d in range(4, 22)] == [
        "unknown",
        *["migraine"] * 4,  # 5 to 8 November: 72 hours end on the 8th at 10:00
        "unknown",
        "unknown",  # checked in, but the attack may have been going on
        "unknown",
        "migraine",  # an attack record stands
        *["unknown"] * 8,
        "unknown",  # tomorrow
    ]
    assert not result[dt.date(2024, 11, 10)].recorded
    assert result[dt.date(2024, 11, 12)].recorded


def test_an_ongoing_attack_within_72_hours_counts_to_now() -> None:
    start = at("2024-11-05", 10)
    result = statuses("2024-11-05", "2024-11-08", [attack(start, None)], now=at("2024-11-08", 9))
    assert [s.status for s in result.values()] == ["migraine"] * 4


def test_a_session_during_an_attack_without_an_attack_record_is_an_attack_day() -> None:
    result = statuses(
        "2024-11-01",
        "2024-11-03",
        [attack(at("2024-11-03", 9), 120)],
        sessions=[at("2024-11-01", 9), at("2024-11-03", 10)],
        attack_sessions=[at("2024-11-01", 9), at("2024-11-03", 10)],
        checkins=[dt.date(2024, 11, 1)],
    )
    day = result[dt.date(2024, 11, 1)]
    assert (day.status, day.recorded, day.migraine, day.session) == ("attack", False, False, True)
    assert status_of(result, "2024-11-03") == "migraine"
    assert result[dt.date(2024, 11, 3)].recorded


def test_medication_without_time_counts_on_the_attacks_first_day() -> None:
    # a 20-minute attack across midnight with a triptan of unknown time
    result = statuses(
        "2024-11-01", "2024-11-02", [attack(at("2024-11-01", 23, 50), 20, meds=[SUMA])]
    )
    assert [s.status for s in result.values()] == ["migraine", "attack"]
    assert result[dt.date(2024, 11, 1)].acute_classes == frozenset({"triptan"})
    assert result[dt.date(2024, 11, 2)].acute_classes == frozenset()


def test_medication_with_time_counts_on_its_own_local_day() -> None:
    taken = dt.datetime(2024, 11, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 Nov in Berlin
    med = MedicationTaken("sumatriptan", "triptan", taken)
    result = statuses(
        "2024-11-01", "2024-11-02", [attack(at("2024-11-01", 23, 50), 20, meds=[med])]
    )
    assert [s.status for s in result.values()] == ["attack", "migraine"]
    assert result[dt.date(2024, 11, 2)].acute_classes == frozenset({"triptan"})


def test_attack_outside_the_range_does_not_leak_in() -> None:
    result = statuses("2024-11-10", "2024-11-11", [attack(at("2024-11-01"), 120, meds=[SUMA])])
    assert {s.status for s in result.values()} == {"unknown"}


# --- months and calendar JSON ----------------------------------------------------------


def test_months_group_days_and_count() -> None:
    result = statuses(
        "2024-10-30",
        "2024-11-02",
        [
            attack(at("2024-10-30"), 60, meds=[SUMA, IBU]),
            attack(at("2024-11-01"), 10, meds=[IBU]),
        ],
        checkins=[dt.date(2024, 10, 31), dt.date(2024, 11, 2)],
        sessions=[at("2024-11-02", 8)],
    )
    summaries = months(result)
    assert [s.month for s in summaries] == ["2024-10", "2024-11"]
    october, november = summaries
    assert (october.migraine_days, october.recorded_days, october.acute_medication_days) == (
        1,
        2,
        1,
    )
    assert (november.migraine_days, november.recorded_days, november.acute_medication_days) == (
        0,
        2,
        1,
    )
    assert november.session_days == 1
    assert (november.year, november.month_number) == (2024, 11)
    assert month_summary(result, 2024, 10) == october


def test_calendar_json_shape() -> None:
    result = statuses(
        "2024-11-01",
        "2024-11-03",
        [attack(at("2024-11-01"), 60)],
        sessions=[at("2024-11-02")],
        checkins=[dt.date(2024, 11, 2)],
    )
    data = calendar_json(months(result))
    assert json.loads(json.dumps(data)) == [
        {
            "month": "2024-11",
            "migraine_days": 1,
            "recorded_days": 2,
            "acute_medication_days": 0,
            "days": [
                {"date": "2024-11-01", "status": "migraine", "session": False},
                {"date": "2024-11-02", "status": "free", "session": True},
                {"date": "2024-11-03", "status": "unknown", "session": False},
            ],
        }
    ]


def test_last_months_and_add_months() -> None:
    assert last_months(dt.date(2024, 2, 15), 3) == (dt.date(2023, 12, 1), dt.date(2024, 2, 29))
    assert last_months(dt.date(2024, 12, 31), 1) == (dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    assert add_months(dt.date(2024, 1, 31), -1) == dt.date(2023, 12, 1)
    assert add_months(dt.date(2024, 11, 5), 2) == dt.date(2025, 1, 1)
    with pytest.raises(ValueError, match="at least 1"):
        last_months(dt.date(2024, 1, 1), 0)


# --- medication overuse ----------------------------------------------------------------


def month_with(month: str, *day_classes: Iterable[str], length: int = 28) -> MonthSummary:
    """A month whose first days carry the given acute classes, the rest none."""
    year, number = (int(x) for x in month.split("-"))
    days = []
    for i in range(length):
        classes = frozenset(day_classes[i]) if i < len(day_classes) else frozenset()
        days.append(
            DayStatus(
                date=dt.date(year, number, i + 1),
                recorded=True,
                migraine=bool(classes),
                attack=bool(classes),
                session=False,
                acute_classes=classes,
            )
        )
    return MonthSummary(month=month, days=tuple(days))


def only(month: str, med_class: str, days: int) -> MonthSummary:
    return month_with(month, *([[med_class]] * days))


@pytest.mark.parametrize("med_class", ["triptan", "ergot", "opioid", "combination_analgesic"])
def test_ten_day_classes_flag_at_10_not_9(med_class: str) -> None:
    nine, ten = overuse([only("2024-01", med_class, 9), only("2024-02", med_class, 10)])
    assert nine.flags == ()
    assert nine.days_by_class == {med_class: 9}
    assert ten.flags == (med_class,)
    assert ten.total_days == 10


def test_simple_analgesics_flag_at_15_not_14() -> None:
    fourteen, fifteen = overuse(
        [only("2024-01", "simple_analgesic", 14), only("2024-02", "simple_analgesic", 15)]
    )
    assert fourteen.flags == ()
    assert fifteen.flags == ("simple_analgesic",)


def test_gepants_alone_have_no_threshold() -> None:
    (month,) = overuse([only("2024-01", "gepant", 20)])
    assert month.flags == ()
    assert month.days_by_class == {"gepant": 20}


def test_multiple_classes_on_ten_days_in_total() -> None:
    # 5 triptan days and 5 ibuprofen days: no class alone is over, together they are
    mixed = month_with("2024-01", *([["triptan"]] * 5 + [["simple_analgesic"]] * 5))
    (result,) = overuse([mixed])
    assert result.flags == ("multiple",)
    assert result.total_days == 10
    assert result.days_by_class == {"triptan": 5, "simple_analgesic": 5}


def test_multiple_needs_ten_days_in_total() -> None:
    mixed = month_with("2024-01", *([["triptan"]] * 5 + [["simple_analgesic"]] * 4))
    assert overuse([mixed])[0].flags == ()


def test_multiple_needs_more_than_one_class() -> None:
    (result,) = overuse([only("2024-01", "simple_analgesic", 12)])
    assert result.flags == ()


def test_two_classes_on_the_same_days_count_those_days_once() -> None:
    same_days = month_with("2024-01", *([["triptan", "simple_analgesic"]] * 9))
    (result,) = overuse([same_days])
    assert result.total_days == 9
    assert result.days_by_class == {"triptan": 9, "simple_analgesic": 9}
    assert result.flags == ()


def test_multiple_is_added_literally_next_to_a_class_flag() -> None:
    heavy = month_with("2024-01", *([["triptan"]] * 10 + [["simple_analgesic"]] * 2))
    assert overuse([heavy])[0].flags == ("triptan", "multiple")


def test_other_class_does_not_count_for_multiple() -> None:
    # oxygen and antiemetics do not cause medication overuse
    with_oxygen = month_with("2024-01", *([["triptan"]] * 8 + [["other"]] * 3))
    (result,) = overuse([with_oxygen])
    assert result.total_days == 11
    assert result.flags == ()


def test_overuse_pattern_on_third_and_fourth_flagged_month() -> None:
    result = overuse([only(f"2024-0{m}", "triptan", 12) for m in range(1, 5)])
    assert [r.overuse_pattern for r in result] == [False, False, True, True]
    assert all(r.flags == ("triptan",) for r in result)


def test_broken_run_starts_over() -> None:
    months_in = [
        only("2024-01", "triptan", 12),
        only("2024-02", "triptan", 12),
        only("2024-03", "triptan", 9),  # breaks the run
        only("2024-04", "triptan", 12),
        only("2024-05", "triptan", 12),
        only("2024-06", "triptan", 12),
    ]
    result = overuse(months_in)
    assert [r.overuse_pattern for r in result] == [False, False, False, False, False, True]


def test_a_missing_month_breaks_the_run() -> None:
    result = overuse(
        [
            only("2024-01", "triptan", 12),
            only("2024-02", "triptan", 12),
            only("2024-04", "triptan", 12),
        ]
    )
    assert [r.overuse_pattern for r in result] == [False, False, False]


def test_run_can_span_different_flags_and_a_year_end() -> None:
    result = overuse(
        [
            only("2023-11", "triptan", 10),
            only("2023-12", "simple_analgesic", 15),
            month_with("2024-01", *([["opioid"]] * 6 + [["simple_analgesic"]] * 4)),
        ]
    )
    assert [r.flags for r in result] == [("triptan",), ("simple_analgesic",), ("multiple",)]
    assert result[-1].overuse_pattern is True


def test_history_months_reveal_a_run_but_are_not_returned() -> None:
    history = [only("2024-01", "triptan", 12), only("2024-02", "triptan", 12)]
    result = overuse([only("2024-03", "triptan", 12)], history=history)
    assert [r.month for r in result] == ["2024-03"]
    assert result[0].overuse_pattern is True
    assert overuse([only("2024-03", "triptan", 12)])[0].overuse_pattern is False


def test_meds_json_shape() -> None:
    result = overuse([month_with("2024-01", *([["triptan"]] * 10 + [[]] + [["other"]]))])
    assert json.loads(json.dumps(meds_json(result))) == [
        {
            "month": "2024-01",
            "days_by_class": {"triptan": 10, "other": 1},
            "total_days": 11,
            "flags": ["triptan"],
            "overuse_pattern": False,
        }
    ]


def test_eleven_triptan_days_from_attacks_flag_the_month() -> None:
    attacks = [attack(at(dt.date(2024, 11, d), 9), 120, meds=[SUMA]) for d in range(1, 12)]
    now = at("2024-11-20")
    result = statuses("2024-11-01", "2024-11-30", attacks, now=now)
    (month,) = overuse(months(result))
    assert month.days_by_class == {"triptan": 11}
    assert month.flags == ("triptan",)
    assert current_month_flags(result, now.date()) == ("triptan",)


def test_current_month_flags_empty_when_under_thresholds_or_absent() -> None:
    attacks = [attack(at(dt.date(2024, 11, d), 9), 120, meds=[SUMA]) for d in range(1, 10)]
    result = statuses("2024-11-01", "2024-11-30", attacks)
    assert current_month_flags(result, dt.date(2024, 11, 20)) == ()
    assert current_month_flags(result, dt.date(2024, 12, 1)) == ()
    assert current_month_overuse(result, dt.date(2024, 12, 1)) is None


def test_current_month_overuse_uses_earlier_months_as_history() -> None:
    attacks = [
        attack(at(dt.date(2024, m, d), 9), 120, meds=[SUMA])
        for m in (9, 10, 11)
        for d in range(1, 11)
    ]
    first, last = last_months(dt.date(2024, 11, 15), 3)
    result = day_statuses(
        first,
        last,
        attacks=attacks,
        session_times=[],
        checkins=[],
        kept_ranges=[],
        tz=BERLIN,
        now=NOW,
    )
    current = current_month_overuse(result, dt.date(2024, 11, 15))
    assert current is not None
    assert current.overuse_pattern is True


def test_warning_text_is_plain_and_gives_no_medical_advice() -> None:
    history = [only("2024-01", "triptan", 12), only("2024-02", "triptan", 12)]
    (pattern,) = overuse([only("2024-03", "triptan", 12)], history=history)
    (single,) = overuse([only("2024-03", "triptan", 12)])
    (calm,) = overuse([only("2024-03", "triptan", 3)])
    pattern_text = overuse_warning(pattern)
    single_text = overuse_warning(single)
    assert overuse_warning(calm) is None
    assert pattern_text is not None
    assert single_text is not None
    assert OVERUSE_WARNING in pattern_text
    assert "triptan on 12 days (limit 10)" in pattern_text
    for text in (pattern_text, single_text, OVERUSE_WARNING):
        assert "medication-overuse headache" in text
        assert "doctor" in text
        assert "stop" not in text.lower()
        assert "you have" not in text.lower()
