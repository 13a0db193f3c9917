#!/usr/bin/env python3
"""Replays traces through `autoscaled simulate` with a config's policy and reports where it lands.

  scripts/policy-report.py [--config config/autoscaled.conf] [--binary PATH] [--check] [--suite [--split train|test|fresh] [--digits N] [--shift S | --phases N | --draws A[-B]]]
  scripts/policy-report.py --trace FILE [--trace FILE …] --capacity C --startup-delay D [--initial N] [--digits N] [--check] [--config …] [--binary …]

Public traces (config/traces/, from the Azure public datasets; see config/traces/README.md): the
policy's replica-seconds and share of requests over capacity, next to the Kubernetes HPA and
Knative KPA cost/service frontiers at the same "over %" (linear between the two rows around it;
below the lowest row, extended along its first two rows; above the highest row, its cheapest row).
The replay keeps the config's [policy] and poll_interval and sets only min_replicas = 1,
max_replicas = 1000 and initial_replicas to the trace's. With --check, exits 1 unless the policy
is cheaper than both frontiers on every public trace.

Synthetic traces (config/traces/synthetic/, made by scripts/make-synthetic-traces.py): the same
figures, next to a perfect-foresight floor: each second paid at exactly ⌈requests/s ÷ C⌉ replicas.

With --suite: every trace of config/traces/suite.json (writing config/traces/suite/ with
scripts/make-suite-traces.py when a file is missing), train and held-out test halves apart, and the
traces added after the shipped settings were chosen ('fresh') apart from both, each
next to the perfect-foresight floor at the same share of requests over capacity (a dynamic program
that knows the future and pays the startup delay, see scripts/foresight_floor.py) and the HPA and
KPA frontiers at the same share over capacity, drawn from `autoscaled simulate --policy hpa|kpa` at
targets 0.1 … 0.95 (kept in config/traces/suite/frontiers.json by the trace's bytes and the simulator's
sources, rows of an older simulator dropped when the file is written). A run with more requests over
capacity than every point of a frontier is a loss against it, never a cost win. Each part ends with
its scale events, beside those of the HPA and KPA frontier points nearest each trace's share over
capacity, and the policy's scale-ups taken back (followed by a scale-down within a minute). With
--check, exits 1 unless the policy is at most 1.0× both frontiers on every trace of the suite.

With --trace FILE (an offered-load trace of one's own, `t_seconds,requests`, such as `autoscaled history
export --format offered` writes; repeated for several): each trace as a suite trace is reported, at
one replica's capacity C (requests/s at load 100) and startup delay D (seconds, or with s, min, h or d),
from N replicas (by default the suite's rule: the first 5 minutes' mean load at half a replica's
capacity, at least 1). `simulate` reads each trace first and names what is wrong with one it
refuses; a per-server trace is refused, as the models replay offered load only. The frontiers are
kept in .build/policy-report-frontiers.json by the trace's bytes and the simulator's sources (rows of
an older simulator are dropped when the file is written). With
--check, exits 1 unless the policy is at most 1.0× both frontiers on every trace given.

With --suite --shift S: every trace replayed S seconds later (``shifted_trace``), so that a change of
the load that comes at a poll's start in the suite (the synthetic traces change at whole minutes,
which a poll dividing a minute reads a whole poll late) comes S seconds into one. The HPA and KPA
frontiers are drawn again on the shifted traces (kept in config/traces/suite-shifted/S/); cost ÷ floor
is over the unshifted trace's floor: for a floor that knows the future, its load differs from the
shifted trace's only in the first and last S seconds (the floor of a week at 1-second bins takes
minutes to compute).

With --suite --phases N: the suite at every shift S = 0 … N-1 (each as with --shift S; N = 10 for
every phase of a 10 s poll), each phase's tables as above, then per part the means over the phases:
the pairs above 1.0× or lost on service (and the fewest and most at one phase), the part's mean and
worst ratio to the frontiers (and the worst's range), its scale events, and the scale-ups taken back;
then every trace × frontier pair that is above 1.0× or lost at some phase, with at how many.

With --suite --draws A-B (or A): the suite at each draw N = A … B, every trace drawn around a shape's
rate written again for the run by `make-suite-traces.py --draw N` and `make-synthetic-traces.py --draw
N` (the recorded traces as they are; draw 0 is the suite's own), each draw's tables as above, then the
same summary over the draws: to tell what a rule does to a shape from what it does to one draw of it.
Each draw's floor is over its own trace; the frontiers are kept in config/traces/suite-draws/frontiers.json.
"""
import argparse
import fcntl
import functools
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime

from trace_shapes import NotOfferedLoad, read_counts, write_whole

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))

# Reference figures from the public traces' README (HPA / KPA simulated from their source, same
# model as `autoscaled simulate`): (over %, replica-seconds) for targets 0.3 … 0.9.
PUBLIC = [
    ("azure_llm_conv_2023.csv", 1, 120, 7,
     [(0.15, 79771), (0.17, 59519), (0.29, 47765), (0.66, 41929), (1.97, 34436), (3.22, 31338), (5.43, 27783)],
     [(0.10, 67649), (0.28, 51120), (0.95, 41861), (2.57, 34764), (5.49, 30067), (8.78, 26356), (13.80, 24032)]),
    ("azure_llm_code_2023.csv", 2, 120, 2,
     [(3.23, 78269), (5.11, 59687), (7.96, 47831), (12.02, 39787), (14.31, 34835), (18.04, 30121), (20.51, 26791)],
     [(58.86, 67537), (60.72, 51145), (63.52, 40924), (64.29, 34877), (65.40, 29870), (67.47, 26545), (68.83, 24029)]),
    ("azure_functions_2019_invitro1350.csv", 2, 60, 19,
     [(0.01, 2074860), (0.05, 1564785), (0.28, 1253325), (0.56, 1050405), (0.93, 905580), (1.50, 796065), (2.18, 712335)],
     [(0.13, 1613636), (0.38, 1221352), (0.67, 985332), (1.04, 827002), (1.69, 716200), (2.68, 631918), (4.33, 566852)]),
]
# (file, capacity C, startup delay D, initial replicas)
SYNTHETIC = [
    ("diurnal_week_bursts.csv", 2, 60, 5),
    ("step.csv", 1, 120, 8),
    ("ramp.csv", 1, 120, 2),
    ("noise.csv", 1, 120, 20),
    ("idle.csv", 1, 120, 16),
]


def frontier(rows, over):
    rows = sorted(rows)
    if over >= rows[-1][0]:
        return rows[-1][1]
    if over <= rows[0][0]:
        (x0, y0), (x1, y1) = rows[0], rows[1]
    else:
        (x0, y0), (x1, y1) = next((a, b) for a, b in zip(rows, rows[1:]) if a[0] <= over <= b[0])
    return y0 + (over - x0) * (y1 - y0) / (x1 - x0)


def simulate(binary, config, trace, capacity, delay, initial, policy=None, decisions=False):
    """The replay's replica-seconds, share over capacity and scale events; with `decisions`, also its
    scale-ups and how many of them were taken back (``taken_back``)."""
    command = [binary, "simulate", "--config", config, "--trace", trace, "--capacity", str(capacity),
               "--startup-delay", str(delay), "--initial", str(initial), "--min", "1", "--max", "1000"]
    if not decisions:
        command.append("--quiet")
    if policy:
        command += ["--policy", policy[0], "--target", str(policy[1])]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)}: exit {result.returncode}\n{result.stderr}")
    text = result.stdout
    figures = {
        "replica_seconds": int(re.search(r"replica-seconds\s+(\d+)", text).group(1)),
        "over": float(re.search(r"requests over capacity\s+\S+ of \S+ \(([\d.]+) %\)", text).group(1)),
        "events": int(re.search(r"scale events\s+(\d+)", text).group(1)),
    }
    if decisions:
        figures["ups"], figures["taken_back"] = taken_back(text)
    return figures


# A scale-down this soon after a scale-up takes it back: the replicas it asked for are let go
# before a start-up of a minute or more is over.
TAKE_BACK_SECONDS = 60


def taken_back(text):
    """(scale-ups, scale-ups followed by a scale-down within TAKE_BACK_SECONDS) in `simulate`'s
    decision lines; one scale-down takes back at most the latest scale-up."""
    ups = taken = 0
    last_up = None
    for match in re.finditer(r"^ts=(\S+) level=\S+ event=(scale-up|scale-down) ", text, re.M):
        at = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")).timestamp()
        if match.group(2) == "scale-up":
            ups, last_up = ups + 1, at
        elif last_up is not None and at - last_up <= TAKE_BACK_SECONDS:
            taken, last_up = taken + 1, None
    return ups, taken


def floor_cost(trace, capacity):
    width, counts = read_counts(trace)
    return sum(width * math.ceil(count / width / capacity) for count in counts)


# The targets at which the suite's HPA and KPA frontiers are drawn: wider than the public traces'
# reference rows (0.3 … 0.9), so that a policy's share over capacity falls inside the frontier.
FRONTIER_TARGETS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]


@functools.cache
def simulator_digest():
    """A digest of the simulator's sources (the models and the replay they run in): a cached frontier
    drawn by another version of them is drawn again."""
    digest = hashlib.sha256()
    folder = os.path.join(ROOT, "Sources", "AutoscaledCore", "Simulation")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as source:
            digest.update(name.encode() + b"\0" + source.read())
    return digest.hexdigest()[:16]


def file_digest(path):
    """A digest of `path`'s bytes: what a result drawn from it is kept by (two traces of the same name,
    size and modification time are still two traces)."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]


def model_frontier(binary, config, path, capacity, delay, initial, model, cache):
    """(over %, replica-seconds, scale events) of `simulate --policy MODEL` at every target. The models do not
    depend on the config's [policy], so the rows are kept in `cache` (keyed by the trace's bytes, the
    model and its setting, and the simulator's sources) and computed once per trace."""
    key = f"{file_digest(path)}:{capacity}:{delay}:{initial}:{model}{frontier_key_end()}"
    if key not in cache:
        rows = []
        for target in FRONTIER_TARGETS:
            result = simulate(binary, config, path, capacity, delay, initial, (model, target))
            rows.append((result["over"], result["replica_seconds"], result["events"]))
        cache[key] = rows
    return cache[key]


def frontier_key_end():
    """How every key ``model_frontier`` makes now ends: the targets and the simulator's sources."""
    return f":{FRONTIER_TARGETS}:{simulator_digest()}:events"


def readable_key(key):
    """Whether ``model_frontier`` can read `key` again: drawn from a trace's digest (not its name, size
    and modification time, as kept before), at FRONTIER_TARGETS, by the simulator built from the
    sources as they are now."""
    head = key.split(":", 1)[0]
    return (len(head) == 32 and all(c in "0123456789abcdef" for c in head)
            and key.endswith(frontier_key_end()))


def frontier_ratio(cost, over, rows):
    """cost ÷ the frontier at the same share over capacity; `None` (a loss) when the run lets more
    requests over capacity than every point of the frontier."""
    rows = [(o, c) for o, c, *_ in rows]
    if over > max(o for o, _ in rows) + 1e-9:
        return None
    # The frontier is the lower envelope: at each over, the cheapest point with at most that over.
    envelope = []
    for o, c in sorted(rows):
        if not envelope or c < envelope[-1][1]:
            envelope.append((o, c))
    if len(envelope) == 1:
        return cost / envelope[0][1]
    return cost / frontier(envelope, over)


def comparison_row(label, found, digits):
    """A table row: the trace, the policy's replica-seconds, over %, cost ÷ floor and both ratios."""
    return (f"| {label} | {found.cost} | {found.over:.2f} | {found.cost / found.floor:.2f} "
            f"| {ratio_cell(found.ratios['HPA'], digits)} | {ratio_cell(found.ratios['KPA'], digits)} |")


def ratio_cell(ratio, digits=2):
    """A table cell for `frontier_ratio`'s answer: the ratio to `digits` places, or a loss on service."""
    return "loss (over)" if ratio is None else f"{ratio:.{digits}f}×"


def ratio_summary(ratios, digits=2):
    """The mean and worst of the ratios to the frontiers that exist (`None`, lost on service, has none)."""
    found = [ratio for ratio in ratios if ratio is not None]
    if not found:
        return "no ratio (every pair lost on service)"
    return f"mean {sum(found) / len(found):.{digits}f}×, worst {max(found):.{digits}f}×"


def frontier_point(value):
    """Whether `value` is a point as ``model_frontier`` keeps it: [over %, replica-seconds, scale events]."""
    return isinstance(value, list) and len(value) == 3 and all(
        isinstance(number, (int, float)) and not isinstance(number, bool) for number in value)


def load_frontiers(path, say_fault=True):
    """The frontier rows kept at `path` (``model_frontier``'s cache), or none. The file is only a
    cache: one that is not an object of rows (cut short, edited by hand, another file's bytes) is
    read as none, said so on stderr (unless `say_fault` is false), so every row is drawn again and
    the file written anew."""
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as text:
            rows = json.load(text)
        fault = None if isinstance(rows, dict) and all(
            isinstance(kept, list) and len(kept) > 0 and all(map(frontier_point, kept)) for kept in rows.values()) \
            else "not an object of frontier rows (each a list of [over %, replica-seconds, scale events])"
    except ValueError as error:  # not UTF-8, or not JSON
        fault = str(error)
    if fault is None:
        return rows
    if say_fault:
        print(f"policy-report: {path}: {fault}; the kept frontiers are drawn again", file=sys.stderr)
    return {}


def keep_frontiers(path, cache):
    """Writes `cache` to `path` whole (``write_whole``: a partial file is never read as the cache),
    with the rows another run kept there since this one read it, and without the rows no run can
    read again (``readable_key``): those of another simulator or other targets, and those kept under
    the keys of before. Rows of traces this run did not replay are kept. Runs at once (`--draws`
    over several shells, or a report beside `outside-traces.py`) take turns: each reads the file
    and writes it again while holding a lock beside it, so none drops what another kept."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # A faulty file was said so when this run read it; it is written over with this run's rows.
        rows = {**load_frontiers(path, say_fault=False), **cache}
        write_whole(path, [json.dumps({key: kept for key, kept in rows.items() if readable_key(key)})])


def report_losses(pairs, digits, check, where):
    """Prints every (trace, "HPA" or "KPA", ratio or `None`) pair above 1.0× or lost on service;
    with `check`, exits 1 if there is one."""
    if not pairs:
        return
    print("\nnot cheaper than both frontiers at equal service:\n  " + "\n  ".join(
        f"{trace} vs {model}: " + ("more over capacity than every frontier point" if ratio is None
                                   else f"{ratio:.{digits}f}×") for trace, model, ratio in pairs))
    if check:
        sys.exit(f"policy-report: the policy loses to a frontier on {where}")


@dataclass
class Comparison:
    """One trace replayed with the config's policy, beside the perfect-foresight floor and the HPA and
    KPA frontiers at its share of requests over capacity."""
    cost: int              # replica-seconds
    over: float            # % of requests over capacity
    floor: float           # the floor's replica-seconds at that share
    ratios: dict           # "HPA", "KPA": cost ÷ the frontier there, `None` when lost on service
    events: int            # the policy's scale events
    frontier_events: dict  # "HPA", "KPA": those of the frontier point nearest in service
    ups: int               # the policy's scale-ups,
    taken_back: int        # and those followed by a scale-down within TAKE_BACK_SECONDS


def compare(binary, config, path, capacity, delay, initial, cache, floor_trace=None):
    """`path` replayed with `config`'s policy and by both models (their rows kept in `cache`); the
    floor is over `floor_trace` ((bin width, counts): the unshifted trace of a shifted one) or over
    `path`'s own load."""
    import foresight_floor

    result = simulate(binary, config, path, capacity, delay, initial, decisions=True)
    cost, over = result["replica_seconds"], result["over"]
    width, counts = floor_trace or foresight_floor.read_trace(path)
    ratios, frontier_events = {}, {}
    for model in ("hpa", "kpa"):
        rows = model_frontier(binary, config, path, capacity, delay, initial, model, cache)
        ratios[model.upper()] = frontier_ratio(cost, over, rows)
        frontier_events[model.upper()] = nearest_events(rows, over)
    return Comparison(cost=cost, over=over, floor=foresight_floor.floor(counts, width, capacity, delay, initial, over),
                      ratios=ratios, events=result["events"], frontier_events=frontier_events,
                      ups=result["ups"], taken_back=result["taken_back"])


def initial_count(counts, width, capacity):
    """The suite's rule for a trace whose initial count is "auto": the first 5 minutes' mean at half
    a replica's capacity, at least 1."""
    first = counts[:max(1, 300 // width)]
    return max(1, math.ceil(first.sum() / (len(first) * width) / (capacity * 0.5)))


def nearest_events(rows, over):
    """The scale events of the frontier point whose share over capacity is nearest `over` (of two
    as near, the one at the higher target)."""
    return min(reversed(rows), key=lambda row: abs(row[0] - over))[2]


def shifted_trace(path, shift, folder):
    """`path`'s offered load `shift` seconds later, at 1-second bins (a bin's requests spread evenly
    over its seconds, as `simulate` replays them): its first second's rate for the first `shift`
    seconds, then its own, ending `shift` seconds before its end. Written to `folder` once, its first
    line naming the digest of `path`'s bytes, and again when `path`'s bytes are not those; its path."""
    shifted = os.path.join(folder, os.path.basename(path))
    header = (f"# {os.path.basename(path)} {shift} s later, at 1-second bins, from sha256 {file_digest(path)}:"
              " made by scripts/policy-report.py --shift\n")
    if os.path.exists(shifted):
        with open(shifted) as text:
            if text.readline() == header:
                return shifted
    width, counts = read_counts(path)
    rates = [count / width for count in counts for _ in range(width)]
    rates = (rates[:1] * shift + rates)[:len(rates)]
    os.makedirs(folder, exist_ok=True)
    # repr is the shortest text that reads back as the same double: a shift of 0 replays as the trace.
    write_whole(shifted, [header, "t_seconds,requests\n"] + [f"{second},{rate!r}\n" for second, rate in enumerate(rates)])
    return shifted


def drawn_suite(draw, folder):
    """Writes draw `draw` (at least 1) of every suite trace drawn around a shape's rate into `folder`
    (an empty one), by both trace generators (``make-suite-traces.py --draw N``); the recorded traces
    are not drawn. Returns `folder`."""
    for script in ("make-suite-traces.py", "make-synthetic-traces.py"):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", script), "--draw", str(draw), folder],
                       check=True)
    return folder


def suite_trace(entry, drawn_folder=None):
    """The path of the suite's `entry`: its draw in `drawn_folder` (``drawn_suite``) when it is drawn
    there, else the suite's own file."""
    if drawn_folder and os.path.exists(os.path.join(drawn_folder, entry["file"])):
        return os.path.join(drawn_folder, entry["file"])
    return os.path.join(ROOT, "config", "traces", entry["dir"], entry["file"])


def write_missing_suite(suite):
    """Writes config/traces/suite/ with scripts/make-suite-traces.py when a trace of `suite` (the
    entries of suite.json) is missing: a clean checkout has none of the made ones."""
    if any(not os.path.exists(suite_trace(entry)) for entry in suite):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make-suite-traces.py")], check=True)


def suite_report(binary, config, check, splits, digits=2, shift=None, draw=0):
    import foresight_floor

    traces = os.path.join(ROOT, "config", "traces")
    with open(os.path.join(traces, "suite.json")) as text:
        suite = json.load(text)["traces"]
    parts = sorted({entry["split"] for entry in suite})
    for split in splits:
        if split not in parts:
            sys.exit(f"policy-report: no trace of the suite is in the part '{split}' (its parts: {', '.join(parts)})")
    write_missing_suite(suite)
    # A draw's traces are written anew for each run (in well under a second), to a folder of its own.
    drawn = tempfile.TemporaryDirectory(prefix=f"policy-report-draw-{draw}-") if draw else None
    drawn_folder = drawn_suite(draw, drawn.name) if drawn else None
    shifted_folder = None if shift is None else os.path.join(traces, "suite-shifted", str(shift))
    if drawn_folder:
        cache_path = os.path.join(traces, "suite-draws", "frontiers.json")
    else:
        cache_path = os.path.join(shifted_folder or os.path.join(traces, "suite"), "frontiers.json")
    cache = load_frontiers(cache_path)
    figures = {}
    for split in splits:
        print(f"\n| {split} trace (C, D, initial) | replica-s | over % | cost ÷ floor | vs HPA | vs KPA |")
        print("|---|---|---|---|---|---|")
        ratios, versus, over_losses, pairs = [], [], 0, []
        events = {"policy": 0, "hpa": 0, "kpa": 0}
        ups = taken = 0
        for entry in (entry for entry in suite if entry["split"] == split):
            path = suite_trace(entry, drawn_folder)
            width, counts = foresight_floor.read_trace(path)
            capacity, delay, initial = entry["C"], entry["D"], entry["initial"]
            if initial == "auto":
                initial = initial_count(counts, width, capacity)
            if shifted_folder:
                path = shifted_trace(path, shift, shifted_folder)
            found = compare(binary, config, path, capacity, delay, initial, cache, (width, counts))
            ups += found.ups
            taken += found.taken_back
            ratios.append(found.cost / found.floor)
            events["policy"] += found.events
            for model, ratio in found.ratios.items():
                events[model.lower()] += found.frontier_events[model]
                if ratio is None or ratio > 1.0:
                    pairs.append((entry["file"], model, ratio))
                if ratio is None:
                    over_losses += 1
                else:
                    versus.append(ratio)
            print(comparison_row(f"{entry['file']} ({capacity}, {delay}s, {initial})", found, digits), flush=True)
        frontiers = ratio_summary(versus, digits)
        print(f"\n{split}: {len(ratios)} traces, cost ÷ floor mean {sum(ratios) / len(ratios):.2f}, "
              f"worst {max(ratios):.2f}; vs the HPA and KPA frontiers {frontiers}"
              + (f"; and {over_losses} of {2 * len(ratios)} pairs lost on service (more over capacity than every "
                 f"frontier point: no ratio, so not in the mean or the worst)" if over_losses else ""))
        print(f"{split}: {events['policy']} scale events; HPA {events['hpa']} and KPA {events['kpa']} at the "
              f"frontier points nearest each trace's share over capacity")
        print(f"{split}: {taken} of the policy's {ups} scale-ups taken back (a scale-down within "
              f"{TAKE_BACK_SECONDS} s of one)")
        figures[split] = PartFigures(pairs=pairs, mean=sum(versus) / len(versus) if versus else None,
                                     worst=max(versus) if versus else None, events=events["policy"],
                                     ups=ups, taken_back=taken)
    keep_frontiers(cache_path, cache)
    if drawn:
        drawn.cleanup()
    report_losses([pair for part in figures.values() for pair in part.pairs], digits, check, "a suite trace")
    return figures


@dataclass
class PartFigures:
    """One part of the suite at one phase: the trace × frontier pairs above 1.0× or lost on service
    (trace, "HPA" or "KPA", the ratio or `None`), the mean and worst of the ratios that exist, the
    policy's scale events, its scale-ups and how many of them were taken back."""
    pairs: list
    mean: float | None
    worst: float | None
    events: int
    ups: int
    taken_back: int


def ratio_range(ratios, digits):
    """The lowest and highest of `ratios` ("1.02–1.04×"), or the one ratio they all are."""
    low, high = f"{min(ratios):.{digits}f}", f"{max(ratios):.{digits}f}"
    return f"{low}×" if low == high else f"{low}–{high}×"


def phase_summary(phases, digits=2, over=None, unit="phases"):
    """The lines that sum up `phases` (one {part: PartFigures} per phase, in the order of their shifts,
    or per draw with `over` naming the draws and `unit` "draws"): per part, the means over them, and
    every pair above 1.0× or lost at some phase (or draw)."""
    count = len(phases)
    over = over or f"S = 0 … {count - 1}"
    lines = [f"\n| part (means over {over}) | pairs above 1.0× or lost | mean | worst "
             "| scale events | scale-ups taken back |", "|---|---|---|---|---|---|"]
    for split in phases[0]:
        parts = [phase[split] for phase in phases]
        pairs = [len(part.pairs) for part in parts]
        means = [part.mean for part in parts if part.mean is not None]
        worsts = [part.worst for part in parts if part.worst is not None]
        ups, taken = sum(part.ups for part in parts), sum(part.taken_back for part in parts)
        mean = f"{sum(means) / len(means):.{digits}f}×" if means else "no ratio"
        worst = f"{sum(worsts) / len(worsts):.{digits}f}× ({ratio_range(worsts, digits)})" if worsts else "no ratio"
        share = f" ({100 * taken / ups:.0f} %)" if ups else ""
        lines.append(f"| {split} | {sum(pairs) / count:.1f} ({min(pairs)}–{max(pairs)}) | {mean} | {worst} "
                     f"| {sum(part.events for part in parts) / count:.0f} | {taken} of {ups}{share} |")
    lines.append(f"\nabove 1.0× or lost on service, at how many of the {count} {unit}:")
    for split in phases[0]:
        seen = {}
        for phase in phases:
            for trace, model, ratio in phase[split].pairs:
                seen.setdefault((trace, model), []).append(ratio)
        for (trace, model), found in sorted(seen.items(), key=lambda item: (-len(item[1]), item[0])):
            ratios = [ratio for ratio in found if ratio is not None]
            lost = len(found) - len(ratios)
            told = []
            if ratios:
                told.append(ratio_range(ratios, digits))
            if lost:
                told.append(f"lost on service at {lost}")
            lines.append(f"  {split}: {trace} vs {model}: {len(found)} of {count} ({', '.join(told)})")
    return lines


def startup_seconds(text):
    """A startup delay as `--startup-delay` takes it: whole seconds, minutes, hours or days."""
    match = re.fullmatch(r"(\d+)(s|min|h|d)?", text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of seconds, minutes, hours or days "
                                         f"(120, 120s, 2min, 1h, 1d)")
    return int(match.group(1)) * {None: 1, "s": 1, "min": 60, "h": 3600, "d": 86400}[match.group(2)]


def trace_report(binary, config, paths, capacity, delay, initial, check, digits):
    """Each offered-load trace of `paths` beside the floor and the HPA and KPA frontiers, as a suite
    trace is; the frontiers are kept in .build/policy-report-frontiers.json until the trace or the
    simulator's sources change."""
    import foresight_floor

    cache_path = os.path.join(ROOT, ".build", "policy-report-frontiers.json")
    cache = load_frontiers(cache_path)
    print(f"| trace (C, D, initial) | replica-s | over % | cost ÷ floor | vs HPA | vs KPA |")
    print("|---|---|---|---|---|---|")
    found_all, pairs = [], []
    for path in paths:
        try:
            width, counts = foresight_floor.read_trace(path)
        except NotOfferedLoad as error:
            sys.exit(f"policy-report: {error}: HPA's and KPA's models replay offered load only "
                     f"(`autoscaled history export --format offered` writes one)")
        except (OSError, ValueError, IndexError):
            width, counts = None, None
        if counts is None or not all(math.isfinite(count) for count in counts):
            # What `simulate` refuses it names, with the line at fault (`compare` replays through it
            # first, so a trace this reader takes and `simulate` refuses is named there).
            simulate(binary, config, path, capacity, delay, initial or 1)
            raise SystemExit(f"policy-report: {path}: `simulate` reads it, this script's reader does not")
        start = initial or initial_count(counts, width, capacity)
        found = compare(binary, config, path, capacity, delay, start, cache, (width, counts))
        found_all.append(found)
        pairs += [(os.path.basename(path), model, ratio) for model, ratio in found.ratios.items()
                  if ratio is None or ratio > 1.0]
        print(comparison_row(f"{os.path.basename(path)} ({capacity:g}, {delay}s, {start})", found, digits), flush=True)
    keep_frontiers(cache_path, cache)
    ups, taken = sum(found.ups for found in found_all), sum(found.taken_back for found in found_all)
    print(f"\n{sum(found.events for found in found_all)} scale events; HPA "
          f"{sum(found.frontier_events['HPA'] for found in found_all)} and KPA "
          f"{sum(found.frontier_events['KPA'] for found in found_all)} at the frontier points nearest each "
          f"trace's share over capacity; {taken} of the policy's {ups} scale-ups taken back (a scale-down "
          f"within {TAKE_BACK_SECONDS} s of one)")
    report_losses(pairs, digits, check, "a trace given")


def draw_range(text):
    """The draws `--draws` takes: A, or A-B for A … B, whole numbers from 0 to 999 with A ≤ B."""
    match = re.fullmatch(r"([0-9]{1,3})(?:-([0-9]{1,3}))?", text)
    if not match or int(match.group(2) or match.group(1)) < int(match.group(1)):
        raise argparse.ArgumentTypeError(f"'{text}' is not a draw A or draws A-B (whole numbers from 0 to 999, "
                                         f"A at most B)")
    return range(int(match.group(1)), int(match.group(2) or match.group(1)) + 1)


def release_binary():
    """Builds the release `autoscaled` of this checkout and returns its path."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "autoscaled"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip() + "/autoscaled"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=os.path.join(ROOT, "config", "autoscaled.conf"))
    parser.add_argument("--binary")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--suite", action="store_true")
    parser.add_argument("--split", choices=["train", "test", "fresh"], help="with --suite: only these traces")
    parser.add_argument("--digits", type=int, default=2, choices=range(2, 7), metavar="N",
                        help="with --suite or --trace: decimal places of the ratios to the frontiers (2 to 6; default 2)")
    parser.add_argument("--shift", type=int, metavar="S",
                        help="with --suite: replay every trace S seconds later (0 to 3600), frontiers drawn again")
    parser.add_argument("--phases", type=int, metavar="N",
                        help="with --suite: the suite at every shift S = 0 … N-1 (1 to 3600), then the means over them")
    parser.add_argument("--draws", type=draw_range, metavar="A[-B]",
                        help="with --suite: every drawn trace at draws A … B (0 to 999; 0 is the suite's own), "
                             "then the means over them")
    parser.add_argument("--trace", action="append", metavar="FILE",
                        help="an offered-load trace of your own (t_seconds,requests) to compare on; may be repeated")
    parser.add_argument("--capacity", type=float, metavar="C",
                        help="with --trace: requests/s one replica serves at load 100")
    parser.add_argument("--startup-delay", type=startup_seconds, metavar="D",
                        help="with --trace: from asking for a replica to its serving (120, 120s, 2min)")
    parser.add_argument("--initial", type=int, metavar="N",
                        help="with --trace: replicas at the start (default: the first 5 minutes' mean "
                             "load at half a replica's capacity, at least 1)")
    args = parser.parse_args()
    if args.trace and (args.suite or args.capacity is None or args.startup_delay is None):
        parser.error("--trace FILE needs --capacity C and --startup-delay D, and not --suite")
    if not args.trace and (args.capacity is not None or args.startup_delay is not None or args.initial is not None):
        parser.error("--capacity, --startup-delay and --initial go with --trace FILE")
    if args.trace and not (args.capacity > 0 and (args.initial is None or args.initial >= 1)):
        parser.error("--capacity C must be above 0 and --initial N at least 1")
    if args.split and not args.suite:
        parser.error("--split needs --suite")
    if args.shift is not None and (not args.suite or not 0 <= args.shift <= 3600):
        parser.error("--shift S needs --suite and S from 0 to 3600")
    if args.phases is not None and (not args.suite or args.shift is not None or args.check
                                    or not 1 <= args.phases <= 3600):
        parser.error("--phases N needs --suite, neither --shift nor --check, and N from 1 to 3600")
    if args.draws is not None and (not args.suite or args.shift is not None or args.phases is not None or args.check):
        parser.error("--draws A[-B] needs --suite, and neither --shift, --phases nor --check")
    binary = args.binary or release_binary()
    splits = [args.split] if args.split else ["train", "test", "fresh"]
    if args.draws is not None:
        runs = []
        for draw in args.draws:
            print(f"\n## draw {draw}")
            runs.append(suite_report(binary, args.config, False, splits, args.digits, draw=draw))
        first, last = args.draws[0], args.draws[-1]
        print("\n".join(phase_summary(runs, args.digits, f"draws {first} … {last}" if last > first else f"draw {first}",
                                       "draws")))
        return
    if args.phases is not None:
        phases = []
        for shift in range(args.phases):
            print(f"\n## S = {shift}")
            phases.append(suite_report(binary, args.config, False, splits, args.digits, shift))
        print("\n".join(phase_summary(phases, args.digits)))
        return
    if args.suite:
        suite_report(binary, args.config, args.check, splits, args.digits, args.shift)
        return
    if args.trace:
        trace_report(binary, args.config, args.trace, args.capacity, args.startup_delay, args.initial,
                     args.check, args.digits)
        return
    beaten = True
    print("| public trace (C, D, initial) | replica-s | over % | HPA frontier there | KPA frontier there | vs HPA | vs KPA |")
    print("|---|---|---|---|---|---|---|")
    for name, capacity, delay, initial, hpa, kpa in PUBLIC:
        result = simulate(binary, args.config, os.path.join(ROOT, "config", "traces", name), capacity, delay, initial)
        cost, over = result["replica_seconds"], result["over"]
        h, k = frontier(hpa, over), frontier(kpa, over)
        beaten &= cost < h and cost < k
        print(f"| {name} ({capacity}, {delay}s, {initial}) | {cost} | {over:.2f} | {h:.0f} | {k:.0f} "
              f"| {cost / h - 1:+.1%} | {cost / k - 1:+.1%} |")
    print()
    print("| synthetic trace (C, D, initial) | replica-s | over % | scale events | perfect-foresight floor | cost ÷ floor |")
    print("|---|---|---|---|---|---|")
    for name, capacity, delay, initial in SYNTHETIC:
        path = os.path.join(ROOT, "config", "traces", "synthetic", name)
        result = simulate(binary, args.config, path, capacity, delay, initial)
        floor = floor_cost(path, capacity)
        print(f"| {name} ({capacity}, {delay}s, {initial}) | {result['replica_seconds']} | {result['over']:.2f} "
              f"| {result['events']} | {floor} | {result['replica_seconds'] / floor:.2f} |")
    if args.check and not beaten:
        sys.exit("policy-report: the policy is not cheaper than both frontiers on every public trace")


if __name__ == "__main__":
    main()
