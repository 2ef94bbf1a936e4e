"""A therapy's verdicts side by side: its session figures, acute relief and prevention."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migraine_diary.analysis.preventive import PreventiveResult
    from migraine_diary.analysis.stats import AcuteVerdict, TherapyStats

NO_ATTACK_DIARY = (
    "Needs the attack diary: log attacks and check-ins (`migraine attack log`, "
    "`migraine checkin`) to compare migraine days before and during the course."
)


@dataclass(frozen=True)
class TherapyVerdicts:
    """A therapy's session figures with its acute and (where possible) preventive verdicts."""

    stats: TherapyStats
    acute: AcuteVerdict
    courses: tuple[PreventiveResult, ...]  # every course, newest first; empty without a diary
    attack_diary: bool

    @property
    def prevention(self) -> PreventiveResult | None:
        """The latest course's verdict: the one `stats` and `verdict` lead with."""
        return self.courses[0] if self.courses else None

    @property
    def preventive_word(self) -> str:
        return "not_enough_data" if self.prevention is None else self.prevention.verdict

    @property
    def preventive_message(self) -> str:
        return NO_ATTACK_DIARY if self.prevention is None else self.prevention.message
