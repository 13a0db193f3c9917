"""What the trace scripts share: their command line, Poisson sampling, the diurnal week with bursts,
reading a trace, writing a file whole."""
import math
import os
import random
import re
import sys


def draw_arguments(arguments, script, default_directory):
    """(N, DIRECTORY) of a generator's command line, `[DIRECTORY]` or `--draw N DIRECTORY`: N is which
    draw of each shape to write (0, the files the repository's reports read, by default); anything
    else exits with the usage."""
    usage = f"usage: {script} [DIRECTORY] | --draw N DIRECTORY (N a whole number)"
    draw = 0
    if arguments[:1] == ["--draw"]:
        # ASCII digits only: str.isdigit also takes "²", which int() refuses.
        if len(arguments) != 3 or not re.fullmatch(r"[0-9]+", arguments[1]):
            sys.exit(usage)
        draw, arguments = int(arguments[1]), arguments[2:]
    if len(arguments) > 1 or any(argument.startswith("-") for argument in arguments):
        sys.exit(usage)
    return draw, arguments[0] if arguments else default_directory


def drawn_seed(seed, draw):
    """The seed a shape drawn under `seed` is drawn under at draw `draw` (``draw_arguments``'s N):
    `seed` itself at 0, the files the reports read."""
    return seed + 1000 * draw


def poisson(rng, mean):
    """A Poisson draw around `mean` (a normal approximation above 60, exact enough there)."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def diurnal_week(seed):
    """Requests/s of each minute of a week: a daily cycle between 2 and 18, weekends at 60 %, and 40
    bursts of 3-8 minutes at 2-4 times the load of the moment, placed by `seed`."""
    rng = random.Random(seed)
    minutes = 7 * 24 * 60
    bursts = []
    for _ in range(40):
        start = rng.randrange(minutes)
        bursts.append((start, start + rng.randint(3, 8), rng.uniform(2, 4)))
    rates = []
    for minute in range(minutes):
        day = minute // (24 * 60)
        phase = (minute % (24 * 60)) / (24 * 60)
        rate = 10 - 8 * math.cos(2 * math.pi * phase)
        if day >= 5:
            rate *= 0.6
        for start, end, factor in bursts:
            if start <= minute < end:
                rate *= factor
        rates.append(rate)
    return rates


class NotOfferedLoad(ValueError):
    """A trace whose header is not `t_seconds,requests`."""


def read_counts(path):
    """(bin width in seconds, requests per bin) of a `t_seconds,requests` CSV that `autoscaled
    simulate` accepts, read as it reads one: `#` comment lines and blank lines skipped, CRLF line
    ends and a UTF-8 byte order mark taken, spaces around a field and columns after `requests`
    ignored. Raises NotOfferedLoad for a trace of another header (a per-server one)."""
    with open(path, encoding="utf-8-sig", newline="") as text:
        rows = [[field.strip() for field in line.rstrip("\r").split(",")] for line in text.read().split("\n")
                if line.strip() and not line.lstrip().startswith("#")]
    if not rows or rows[0][:2] != ["t_seconds", "requests"]:
        raise NotOfferedLoad(f"{path}: not an offered-load trace (its header is not 't_seconds,requests')")
    rows = rows[1:]
    return int(rows[1][0]) - int(rows[0][0]), [float(row[1]) for row in rows]


def write_whole(path, lines):
    """Writes the text `lines` to `path` whole: into a file of this process's own beside it, then
    renamed over it. A run killed mid-write, or another run writing the same file at once, never
    leaves part of a file under its name, which a later run would take for the whole. The parts
    of `path` left by runs killed outright (SIGKILL), whose process is gone, are removed."""
    remove_orphaned_parts(path)
    part = f"{path}.{os.getpid()}.part"
    try:
        with open(part, "w") as out:
            out.writelines(lines)
        os.replace(part, path)
    finally:
        if os.path.exists(part):
            os.unlink(part)


def remove_orphaned_parts(path):
    """Removes ``write_whole``'s parts of `path` (`NAME.PID.part`) whose process no longer runs."""
    folder, name = os.path.split(path)
    for entry in os.listdir(folder or "."):
        pid = entry[len(name) + 1:-len(".part")] if entry.startswith(name + ".") and entry.endswith(".part") else ""
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            try:
                os.unlink(os.path.join(folder, entry))
            except FileNotFoundError:  # another run removed it first
                pass
        except PermissionError:  # a process of another user's: it runs
            pass
