#!/usr/bin/env python3
"""Writes the synthetic load traces in config/traces/synthetic/ (offered load, `t_seconds,requests`).

Deterministic (fixed seeds): running it again gives the same files. Each shape tests one thing a
policy must get right; none of them is tuned for.
  diurnal_week_bursts.csv  7 days, 1-min bins: a daily cycle between 2 and 18 req/s, weekends at
                           60 %, and 40 bursts of 3-8 minutes at 2-4 times the load of the moment.
  step.csv                 1 h, 1-s bins: 4 req/s, a step to 16 req/s at 20 min, back at 40 min.
  ramp.csv                 1 h, 1-s bins: 1 req/s rising linearly to 30 req/s over 40 min, then flat.
  noise.csv                1 h, 1-s bins: Poisson noise around a constant 10 req/s.
  idle.csv                 1 h, 1-s bins: 8 req/s, nothing from 20 to 45 min, then 8 req/s again.
Every bin's count is a Poisson draw around the shape's rate.

  scripts/make-synthetic-traces.py --draw N DIRECTORY

writes the same shapes drawn again, under each one's seed + 1000 N (the diurnal week's bursts keep
their own seed), into DIRECTORY. N = 0 is the files above.
"""
import os
import random
import sys

from trace_shapes import diurnal_week, draw_arguments, drawn_seed, poisson, write_whole


# Which draw of each shape is written (`--draw N`): 0, the files in config/traces/synthetic/.
DRAW = 0


def write(directory, name, width, rates, seed):
    rng = random.Random(drawn_seed(seed, DRAW))
    write_whole(os.path.join(directory, name),
                ["t_seconds,requests\n"] + [f"{index * width},{poisson(rng, rate * width)}\n" for index, rate in enumerate(rates)])

def main():
    global DRAW
    DRAW, directory = draw_arguments(sys.argv[1:], "make-synthetic-traces.py",
                                     os.path.join(os.path.dirname(__file__), "..", "config", "traces", "synthetic"))
    os.makedirs(directory, exist_ok=True)
    write(directory, "diurnal_week_bursts.csv", 60, diurnal_week(7), 1)
    write(directory, "step.csv", 1, [16 if 1200 <= t < 2400 else 4 for t in range(3600)], 2)
    write(directory, "ramp.csv", 1, [1 + 29 * min(t, 2400) / 2400 for t in range(3600)], 3)
    write(directory, "noise.csv", 1, [10] * 3600, 4)
    write(directory, "idle.csv", 1, [0 if 1200 <= t < 2700 else 8 for t in range(3600)], 5)

if __name__ == "__main__":
    main()
