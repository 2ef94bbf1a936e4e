"""The calibration benchmark (issue 14) in small: seeded, seconds, same rows for the same seed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

PATH = Path(__file__).parent.parent / "benchmarks" / "calibration.py"


@pytest.fixture(scope="module")
def calibration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibration", PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibration"] = module
    spec.loader.exec_module(module)
    return module


def test_small_seeded_run_covers_every_interval_and_verdict(calibration: ModuleType) -> None:
    rows = calibration.calibrate(8, seed=3)
    names = {t.name for t in rows}
    assert {
        "change in MMD, 95% interval",
        "improved/responder",
        "worse",
        "mean relief, 95% interval",
        "share with relief, exact interval",
        "helps",
        "per 15 minutes, 95% interval",
        "cannot_separate: permutation p < 0.05",
    } <= names
    scenarios = " ".join(t.scenario for t in rows)
    for scenario in ("attacks of 2-3 days", "gamma, CV 0.3", "10 migraine days", "natural",
                     "correlated", "skewed 0-6"):  # fmt: skip
        assert scenario in scenarios
    for t in rows:
        assert 0 <= t.covered <= t.intervals
        assert 0 <= t.positives <= t.trials
        assert t.row().startswith(f"| {t.name} | {t.scenario} |")
    # Pooled over the small run, the intervals cover about 95% and the verdicts rarely fire
    # under no effect (loose bounds: 8 diaries a row).
    covered = sum(t.covered for t in rows)
    intervals = sum(t.intervals for t in rows)
    assert covered / intervals >= 0.9
    null = [
        t for t in rows if t.kind == "false positives" and t.name in ("improved/responder", "helps")
    ]
    assert sum(t.positives for t in null) / sum(t.trials for t in null) <= 0.08


def test_same_seed_same_table(calibration: ModuleType) -> None:
    first = [t.row() for t in calibration.calibrate(4, seed=9, parts=("sessions",))]
    again = [t.row() for t in calibration.calibrate(4, seed=9, parts=("sessions",))]
    assert first == again
