#!/usr/bin/env python3
"""Writes the policy trace suite into config/traces/suite/ (offered load, `t_seconds,requests`).

  scripts/make-suite-traces.py [DIRECTORY]

Deterministic (a fixed seed per trace): the same files every run, so they are generated where they
are needed (CI, scripts/policy-report.py --suite) rather than committed. config/traces/suite.json
says which traces tune a policy (train) and which are held out (test), and the capacity, startup
delay and initial replicas each is replayed with.

Shapes (rates in requests/s; every bin's count is a Poisson draw around the shape's rate, as in
scripts/make-synthetic-traces.py):
  diurnal_week_s11, _s23   7 d, 60 s bins: the diurnal week with bursts of make-synthetic-traces.py
                           under other seeds (daily cycle 2-18, weekends at 60 %, 40 bursts of 2-4x).
  flash_crowd_5x, _15x     2 h, 1 s: 6 req/s, a flash crowd of 5x (10 min) / 15x (4 min) reached in 20 s.
  steps                    2 h, 1 s: a staircase 3, 9, 18, 6, 12, 3 req/s, 20 min each.
  ramp_up_down             3 h, 1 s: 2 req/s rising to 40 over 1 h, 1 h flat, falling back over 1 h.
  idle_active              6 h, 1 s: active periods (10-40 min at 5-15 req/s) between idle ones (10-60 min of 0).
  pareto_batches           6 h, 1 s: 2 req/s and batch jobs every ~15 min whose size is Pareto (alpha 1.5,
                           at least 300 requests), each spread over 60 s.
  cron_hourly              1 d, 10 s bins: 5 req/s, 8x for the first 2 min of every hour, 3x at :30 for 1 min.
  cron_5min                3 h, 1 s: 4 req/s, 4x for 30 s every 5 min.
  weekly_business          7 d, 60 s: 20 req/s Monday-Friday 9:00-18:00 with a lunch dip to 12,
                           1 req/s at night, 2 req/s at weekends, ramps of 1 h around the working day.
  sawtooth                 2 h, 1 s: 2 rising to 20 req/s over 10 min, dropping back, again and again.
  conv_rotated, code_rotated, functions_rotated
                           the public traces rotated by half their length (the end first).
  conv_plus_code           the conversation and code LLM traces added second by second.
  conv_three_phases        the conversation trace plus itself rotated by a third and by two thirds.
The 'fresh' traces (made after the shipped settings were chosen, never used to choose one):
  fast_sine                2 h, 1 s: 20 + 15 sin(2 pi t / 3 min) req/s.
  growth                   4 h, 1 s: 2 req/s growing exponentially to 60 over 3 h, then flat.
  onoff_short              4 h, 1 s: 30 req/s and 0.5 req/s in turn, 5 min each.
  heavy_noise              3 h, 1 s: a lognormal rate (sigma 0.8, mean 20 req/s) drawn anew every 10 s.
  double_peak_2d           2 d, 60 s: 2 req/s with a morning peak of +14 (9:00) and an evening one of +18 (20:00).
  drift_spikes             6 h, 1 s: 10 rising to 30 and back over 6 h, 3x for 20 s at exponential gaps
                           (mean 7 min).
  steady_120               4 h, 1 s: a steady 120 req/s (Poisson arrivals; 60 replicas' worth at C 2).
  steady_10_quick_start    4 h, 1 s: a steady 10 req/s, replicas starting in 30 s.
  idle_then_steady         4 h, 1 s: no request for 1 h, then a steady 100 req/s.
  decay                    6 h, 1 s: 200 req/s decaying exponentially to 1.
  lone_spike_1000x         2 h, 1 s: 1 req/s and, after 1 h, 30 s at 1000 req/s.
  square_10min             3 h, 1 s: 5 and 50 req/s in turn, 5 min each.
  sine_1h                  6 h, 1 s: 30 + 25 sin(2 pi t / 1 h) req/s.
  random_walk              4 h, 1 s: a rate from 20 req/s moving by a normal step (sigma 0.3) each second,
                           at least 1.

  scripts/make-suite-traces.py --draw N DIRECTORY

writes each trace drawn around its shape's rate (all but the recorded ones: the rotations and sums of
the public traces) drawn again, under its seed + 1000 N (a shape placed by a seed of its own keeps
it), into DIRECTORY: the same shapes, other arrivals, to tell a shape's loss from one draw's. N = 0
is the suite's own draw.
"""
import math
import os
import random
import sys

from trace_shapes import diurnal_week, draw_arguments, drawn_seed, poisson, read_counts, write_whole

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))


# Which draw of each shape is written (`--draw N`): 0, the suite's own.
DRAW = 0


def sampled(width, rates, seed):
    """Poisson counts around `rates` (requests/s) in bins of `width` seconds, drawn under `seed` as
    ``drawn_seed`` gives it at the draw written."""
    rng = random.Random(drawn_seed(seed, DRAW))
    return width, [poisson(rng, rate * width) for rate in rates]


def read_public(name):
    return read_counts(os.path.join(ROOT, "config", "traces", name))


def rotated(name, fraction=0.5):
    width, counts = read_public(name)
    cut = int(len(counts) * fraction)
    return width, counts[cut:] + counts[:cut]


def diurnal_week_seeded(seed):
    return sampled(60, diurnal_week(seed), seed + 1000)


def flash_crowd(factor, minutes, seed):
    start, rise = 2400, 20
    rates = []
    for t in range(7200):
        if start <= t < start + rise:
            scale = 1 + (factor - 1) * (t - start) / rise
        elif start + rise <= t < start + minutes * 60:
            scale = factor
        else:
            scale = 1
        rates.append(6 * scale)
    return sampled(1, rates, seed)


def idle_active(seed):
    rng = random.Random(seed)
    rates = []
    while len(rates) < 6 * 3600:
        rates += [0] * (rng.randint(10, 60) * 60)
        rates += [rng.uniform(5, 15)] * (rng.randint(10, 40) * 60)
    return sampled(1, rates[:6 * 3600], seed + 1)


def pareto_batches(seed):
    rng = random.Random(seed)
    rates = [2.0] * (6 * 3600)
    t = rng.expovariate(1 / 900)
    while t < len(rates) - 60:
        size = 300 * rng.paretovariate(1.5)
        for second in range(int(t), int(t) + 60):
            rates[second] += size / 60
        t += rng.expovariate(1 / 900)
    return sampled(1, rates, seed + 1)


def weekly_business():
    rates = []
    for minute in range(7 * 1440):
        day, hour = minute // 1440, (minute % 1440) / 60
        if day >= 5:
            rate = 2
        elif 9 <= hour < 18:
            rate = 12 if 12 <= hour < 13 else 20
        elif 8 <= hour < 9:
            rate = 1 + 19 * (hour - 8)
        elif 18 <= hour < 19:
            rate = 20 - 19 * (hour - 18)
        else:
            rate = 1
        rates.append(rate)
    return sampled(60, rates, 31)


def heavy_noise(seed):
    rng = random.Random(seed)
    rates = []
    for _ in range(0, 3 * 3600, 10):
        rates += [20 * math.exp(rng.gauss(0, 0.8) - 0.32)] * 10
    return sampled(1, rates, seed + 1)


def double_peak(hour):
    return 2 + 14 * math.exp(-((hour - 9) / 1.5) ** 2) + 18 * math.exp(-((hour - 20) / 2) ** 2)


def drift_spikes(seed):
    rng = random.Random(seed)
    length, spikes, t = 6 * 3600, set(), 0
    while t < length:
        t += int(rng.expovariate(1 / 420))
        spikes.update(range(t, t + 20))
    return sampled(1, [(10 + 20 * math.sin(math.pi * t / length)) * (3 if t in spikes else 1) for t in range(length)],
                   seed + 1)


def random_walk(seed):
    rng = random.Random(seed)
    rate, rates = 20.0, []
    for _ in range(4 * 3600):
        rate = max(1.0, rate + rng.gauss(0, 0.3))
        rates.append(rate)
    return sampled(1, rates, seed + 1)


def summed(*parts):
    width = parts[0][0]
    length = min(len(counts) for _, counts in parts)
    return width, [sum(counts[i] for _, counts in parts) for i in range(length)]


TRACES = {
    "diurnal_week_s11.csv": lambda: diurnal_week_seeded(11),
    "diurnal_week_s23.csv": lambda: diurnal_week_seeded(23),
    "flash_crowd_5x.csv": lambda: flash_crowd(5, 10, 41),
    "flash_crowd_15x.csv": lambda: flash_crowd(15, 4, 42),
    "steps.csv": lambda: sampled(1, [[3, 9, 18, 6, 12, 3][t // 1200] for t in range(7200)], 43),
    "ramp_up_down.csv": lambda: sampled(
        1, [2 + 38 * min(t / 3600, 1, max(0, (3 * 3600 - t) / 3600)) for t in range(3 * 3600)], 44),
    "idle_active.csv": lambda: idle_active(45),
    "pareto_batches.csv": lambda: pareto_batches(46),
    "cron_hourly.csv": lambda: sampled(
        10, [5 * (8 if t % 3600 < 120 else 3 if 1800 <= t % 3600 < 1860 else 1) for t in range(0, 86400, 10)], 47),
    "cron_5min.csv": lambda: sampled(1, [4 * (4 if t % 300 < 30 else 1) for t in range(3 * 3600)], 48),
    "weekly_business.csv": weekly_business,
    "sawtooth.csv": lambda: sampled(1, [2 + 18 * (t % 600) / 600 for t in range(7200)], 49),
    "conv_rotated.csv": lambda: rotated("azure_llm_conv_2023.csv"),
    "code_rotated.csv": lambda: rotated("azure_llm_code_2023.csv"),
    "functions_rotated.csv": lambda: rotated("azure_functions_2019_invitro1350.csv"),
    "conv_plus_code.csv": lambda: summed(read_public("azure_llm_conv_2023.csv"), read_public("azure_llm_code_2023.csv")),
    "conv_three_phases.csv": lambda: summed(read_public("azure_llm_conv_2023.csv"),
                                            rotated("azure_llm_conv_2023.csv", 1 / 3),
                                            rotated("azure_llm_conv_2023.csv", 2 / 3)),
    "fast_sine.csv": lambda: sampled(1, [20 + 15 * math.sin(2 * math.pi * t / 180) for t in range(7200)], 101),
    "growth.csv": lambda: sampled(
        1, [2 * math.exp(math.log(30) * min(t, 3 * 3600) / (3 * 3600)) for t in range(4 * 3600)], 102),
    "onoff_short.csv": lambda: sampled(1, [30 if (t // 300) % 2 == 0 else 0.5 for t in range(4 * 3600)], 103),
    "heavy_noise.csv": lambda: heavy_noise(104),
    "double_peak_2d.csv": lambda: sampled(60, [double_peak((t / 60) % 24) for t in range(2 * 1440)], 106),
    "drift_spikes.csv": lambda: drift_spikes(107),
    "steady_120.csv": lambda: sampled(1, [120] * (4 * 3600), 108),
    "steady_10_quick_start.csv": lambda: sampled(1, [10] * (4 * 3600), 109),
    "idle_then_steady.csv": lambda: sampled(1, [0 if t < 3600 else 100 for t in range(4 * 3600)], 110),
    "decay.csv": lambda: sampled(1, [200 * math.exp(math.log(1 / 200) * t / (6 * 3600)) for t in range(6 * 3600)], 111),
    "lone_spike_1000x.csv": lambda: sampled(1, [1000 if 3600 <= t < 3630 else 1 for t in range(2 * 3600)], 112),
    "square_10min.csv": lambda: sampled(1, [50 if (t // 300) % 2 else 5 for t in range(3 * 3600)], 113),
    "sine_1h.csv": lambda: sampled(1, [30 + 25 * math.sin(2 * math.pi * t / 3600) for t in range(6 * 3600)], 114),
    "random_walk.csv": lambda: random_walk(115),
}


def write(directory, name):
    width, counts = TRACES[name]()
    drawn = f" --draw {DRAW}" if DRAW else ""
    write_whole(os.path.join(directory, name),
                [f"# {name}: made by scripts/make-suite-traces.py{drawn} (see its header)\n", "t_seconds,requests\n"]
                + [f"{index * width},{count:g}\n" for index, count in enumerate(counts)])


# The traces made from the recorded public ones: the same at every draw.
RECORDED = {"conv_rotated.csv", "code_rotated.csv", "functions_rotated.csv", "conv_plus_code.csv",
            "conv_three_phases.csv"}


def main():
    global DRAW
    DRAW, directory = draw_arguments(sys.argv[1:], "make-suite-traces.py",
                                     os.path.join(ROOT, "config", "traces", "suite"))
    os.makedirs(directory, exist_ok=True)
    for name in TRACES:
        if DRAW == 0 or name not in RECORDED:
            write(directory, name)


if __name__ == "__main__":
    main()
