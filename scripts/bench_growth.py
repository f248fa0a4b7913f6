"""Benchmark registrations.growth.assess() on random plausible measurements.

Run from the project root: .venv/bin/python scripts/bench_growth.py [N]
"""

import datetime
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registrations import growth  # noqa: E402


def make_measurements(n, seed=20200202):
    rng = random.Random(seed)
    rows = {sex: growth.length_for_age_rows(sex) for sex in "LP"}
    weights = growth._load_tables().weight_for_age
    measured_on = datetime.date(2025, 6, 30)
    measurements = []
    for _ in range(n):
        sex = rng.choice("LP")
        age_days = rng.randrange(0, 1826)
        _, L, M, S, _ = rows[sex][age_days]
        wL, wM, wS = weights[0 if sex == "L" else 1][age_days]
        # Within about ±3.5 SD of the median, the range a posyandu actually sees.
        height = round(M * (1 + L * S * rng.uniform(-3.5, 3.5)) ** (1 / L), 1)
        weight = round(wM * (1 + wL * wS * rng.uniform(-3.5, 3.5)) ** (1 / wL), 2)
        lying = rng.choice((True, False, None))
        birth_date = measured_on - datetime.timedelta(days=age_days)
        measurements.append((sex, birth_date, measured_on, height, weight, lying))
    return measurements


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    measurements = make_measurements(n)
    growth._load_tables()  # table loading is a one-off, not part of each call
    assess = growth.assess

    start = time.perf_counter()
    for m in measurements:
        assess(*m)
    elapsed = time.perf_counter() - start

    print(f"{n} assessments in {elapsed:.3f} s: {n / elapsed:,.0f} per second")
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")


if __name__ == "__main__":
    main()
