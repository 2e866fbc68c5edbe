"""bench/forecast.py still runs: at a tiny size (the generated year only, four circles over
ninety days) it prints every figure, the figures agree with each other, and the same seed
prints the same figures. How good the forecast is, is for the back-test to say, not a test."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BENCH = Path(settings.BASE_DIR) / "bench" / "forecast.py"


def run() -> str:
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(BENCH), "--no-demo", "--circles", "4", "--days", "90"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def figure(printed: str, name: str) -> float:
    found = re.search(rf"^  {name}: ([0-9.]+)", printed, re.M)
    assert found, f"{name} is not printed:\n{printed}"
    return float(found.group(1))


def test_the_back_test_prints_figures_that_agree():
    printed = run()

    assert "generated (seed 16): 4 circles, 62 days (8.3 circle-months)" in printed
    crossings = figure(printed, "crossings found")
    warned = figure(printed, "crossings warned of")
    missed = figure(printed, "crossings missed")
    assert crossings > 0  # the drifting circles do cross
    assert warned + missed == crossings
    notes = re.search(r"^  warnings: (\d+), of them false: (\d+)", printed, re.M)
    assert notes
    warnings, false = int(notes.group(1)), int(notes.group(2))
    assert false <= warnings
    assert figure(printed, "false warnings per circle-month") == round(false / (4 * 62 / 30), 3)
    if warned:
        assert 1 <= figure(printed, "median days of warning before real crossings") <= 14
    # The drifting and the stable circles add up to all of them.
    parts = [int(n) for n in re.findall(r"^      crossings found: (\d+)", printed, re.M)]
    assert len(parts) == 2 and sum(parts) == crossings
    assert run() == printed  # the same seed, the same year
