"""A therapy's verdicts side by side: its session figures, acute relief and prevention."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from migraine_diary.analysis.acute import MIN_RATED
from migraine_diary.domain.hints import command_line

if TYPE_CHECKING:
    from migraine_diary.analysis.acute import Endpoint, TreatmentRow
    from migraine_diary.analysis.preventive import PreventiveResult
    from migraine_diary.analysis.stats import AcuteVerdict, TherapyStats


def no_attack_diary() -> str:
    """What a preventive verdict needs first (a function: its commands carry the client)."""
    return (
        f"Needs the attack diary: log attacks and check-ins (`{command_line('attack log')}`, "
        f"`{command_line('checkin')}`) to compare migraine days before and during the course."
    )


def pain_free_verdict(ep: Endpoint) -> str:
    """The acute verdict from pain freedom at 2 hours. A share of attacks pain-free has nothing
    to be compared with (attacks also end by themselves, and none was left untreated), so it
    never says "helps": "uncontrolled" once some attack was pain-free, "no_clear_effect" when
    none was, "not_enough_data" below MIN_RATED rated attacks."""
    if ep.n < MIN_RATED or ep.ci is None:
        return "not_enough_data"
    return "uncontrolled" if ep.k > 0 else "no_clear_effect"


@dataclass(frozen=True)
class TherapyVerdicts:
    """A therapy's session figures with its acute and (where possible) preventive verdicts."""

    stats: TherapyStats
    acute: AcuteVerdict
    courses: tuple[PreventiveResult, ...]  # every course, newest first; empty without a diary
    attack_diary: bool
    endpoints: TreatmentRow | None = None  # the trial endpoints of its sessions during attacks

    @property
    def acute_source(self) -> str:
        """What the acute column rests on: pain freedom at 2 hours once MIN_RATED attacks are
        rated for it (the guidelines' primary endpoint), else relief right after a session."""
        rated = self.endpoints is not None and self.endpoints.pain_free_2h.n >= MIN_RATED
        return "pain_free_2h" if rated else "session_relief"

    @property
    def acute_verdict(self) -> str:
        """The acute word from what the column rests on: pain_free_verdict once MIN_RATED
        attacks are rated at 2 hours, else the session-relief verdict."""
        ep = self.pain_free_2h
        if self.acute_source != "pain_free_2h" or ep is None:
            return self.acute.verdict
        return pain_free_verdict(ep)

    @property
    def pain_free_2h(self) -> Endpoint | None:
        return None if self.endpoints is None else self.endpoints.pain_free_2h

    @property
    def prevention(self) -> PreventiveResult | None:
        """The latest course's verdict: the one `stats` and `verdict` lead with."""
        return self.courses[0] if self.courses else None

    @property
    def preventive_word(self) -> str:
        return "not_enough_data" if self.prevention is None else self.prevention.verdict

    @property
    def preventive_message(self) -> str:
        return no_attack_diary() if self.prevention is None else self.prevention.message
