#!/usr/bin/env bash
# Checks the systemd units offline, without a running systemd:
#   - `systemd-analyze verify` must exit 0 AND print nothing (it exits 0 on warnings
#     such as a misspelt key, so any stderr output counts as a failure);
#   - `systemd-analyze security --offline=true` must rate each unit at most
#     MAX_EXPOSURE (default 2.0);
#   - both units carry the same hardening block;
#   - the actuator drop-in still verifies and scores, its sysusers file parses, and
#     (when node is installed) its polkit rule grants exactly what it says.
#
# Usage: scripts/check-units.sh [UNIT_DIR]     (default: the repository's systemd/)
#
# verify wants every Exec*= binary to exist and the whole unit tree (sysinit.target, ...),
# so the units are checked inside a throwaway --root: a copy of this machine's
# /usr/lib/systemd/system plus an executable stub at each Exec*= path.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
unit_dir=${1:-$repo/systemd}
examples=$repo/systemd/examples
max_exposure=${MAX_EXPOSURE:-2.0}
instance=autoscaled@pool1.service

if ! command -v systemd-analyze >/dev/null; then
    echo "check-units: systemd-analyze not found (apt-get install systemd)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL $*"
    failures=$((failures + 1))
}

# new_root DIR UNIT_FILE... : a minimal root holding the units, the system's unit tree
# and a stub for each Exec*= command.
new_root() {
    local root=$1
    shift
    mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system"
    cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
    local unit command
    for unit in "$@"; do
        cp "$unit" "$root/etc/systemd/system/"
        # First word after Exec*=, without the -@:+! prefixes systemd allows.
        sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$unit" | while read -r command; do
            [[ -e "$root$command" ]] && continue
            mkdir -p "$(dirname "$root$command")"
            printf '#!/bin/sh\nexit 0\n' >"$root$command"
            chmod 0755 "$root$command"
        done
    done
}

# verify ROOT NAME LABEL
verify() {
    local root=$1 name=$2 label=$3 errors status=0
    errors=$(systemd-analyze verify --root="$root" "$name" 2>&1 >/dev/null) || status=$?
    if [[ $status -ne 0 || -n "$errors" ]]; then
        fail "verify $label (exit $status)"
        printf '%s\n' "$errors" | sed 's/^/     /'
    else
        echo "ok   verify $label"
    fi
}

# security ROOT NAME LABEL
security() {
    local root=$1 name=$2 label=$3 output score
    output=$(systemd-analyze security --offline=true --root="$root" "$name" 2>&1) || true
    score=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [[ -z "$score" ]]; then
        fail "security $label: no exposure level in the output"
        printf '%s\n' "$output" | tail -n 5 | sed 's/^/     /'
    elif awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s > m) }'; then
        fail "security $label: overall exposure level $score (max $max_exposure)"
        printf '%s\n' "$output" | grep '✗' | sed 's/^/     /'
    else
        echo "ok   security $label: overall exposure level $score (max $max_exposure)"
    fi
}

# hardening UNIT: the block from "# Identity" up to [Install].
hardening() {
    sed -n '/^# Identity:/,/^\[Install\]/p' "$1"
}

plain=$unit_dir/autoscaled.service
template=$unit_dir/autoscaled@.service
for unit in "$plain" "$template"; do
    [[ -f "$unit" ]] || { echo "check-units: missing $unit" >&2; exit 1; }
done

new_root "$work/units" "$plain" "$template"
verify "$work/units" autoscaled.service autoscaled.service
verify "$work/units" "$instance" "$instance"
security "$work/units" autoscaled.service autoscaled.service
security "$work/units" "$instance" "$instance"

if [[ -z "$(hardening "$plain")" ]]; then
    fail "hardening block (# Identity: ... [Install]) not found in autoscaled.service"
elif diff <(hardening "$plain") <(hardening "$template") >"$work/hardening.diff"; then
    echo "ok   autoscaled.service and autoscaled@.service share one hardening block"
else
    fail "hardening differs between autoscaled.service and autoscaled@.service"
    sed 's/^/     /' "$work/hardening.diff"
fi

if [[ -d "$examples" ]]; then
    dropin=$examples/actuator-systemctl.conf
    new_root "$work/actuator" "$plain"
    mkdir -p "$work/actuator/etc/systemd/system/autoscaled.service.d"
    cp "$dropin" "$work/actuator/etc/systemd/system/autoscaled.service.d/"
    verify "$work/actuator" autoscaled.service "autoscaled.service + actuator-systemctl.conf"
    security "$work/actuator" autoscaled.service "autoscaled.service + actuator-systemctl.conf"

    mkdir -p "$work/sysusers/etc"
    if errors=$(systemd-sysusers --root="$work/sysusers" "$examples/autoscaled.sysusers.conf" 2>&1) &&
        grep -q '^autoscaled:' "$work/sysusers/etc/passwd"; then
        echo "ok   autoscaled.sysusers.conf creates the autoscaled user"
    else
        fail "autoscaled.sysusers.conf"
        printf '%s\n' "$errors" | sed 's/^/     /'
    fi

    if command -v node >/dev/null; then
        if errors=$(node - "$examples/50-autoscaled-llama-server.rules" 2>&1 <<'EOF'
const fs = require("fs");
let rule;
const polkit = {
    Result: { YES: "yes", NO: "no", NOT_HANDLED: null },
    addRule(fn) { rule = fn; },
};
new Function("polkit", fs.readFileSync(process.argv[2], "utf8"))(polkit);
const ask = (id, user, unit, verb) =>
    rule({ id, lookup: (key) => ({ unit, verb })[key] }, { user });
const manage = "org.freedesktop.systemd1.manage-units";
const cases = [
    [manage, "autoscaled", "llama-server@3.service", "start", "yes"],
    [manage, "autoscaled", "llama-server@12.service", "stop", "yes"],
    [manage, "autoscaled", "llama-server@3.service", "restart", "yes"],
    [manage, "autoscaled", "llama-server@3.service", "kill", null],
    [manage, "autoscaled", "sshd.service", "stop", null],
    [manage, "autoscaled", "llama-server@3.service.d", "start", null],
    [manage, "autoscaled", "llama-server@../x.service", "start", null],
    [manage, "mallory", "llama-server@3.service", "start", null],
    ["org.freedesktop.systemd1.manage-unit-files", "autoscaled", "llama-server@3.service", "enable", null],
];
let bad = 0;
for (const [id, user, unit, verb, expected] of cases) {
    const got = ask(id, user, unit, verb);
    if (got !== expected) {
        console.log(`${user} ${verb} ${unit} (${id}): got ${got}, expected ${expected}`);
        bad++;
    }
}
process.exit(bad ? 1 : 0);
EOF
        ); then
            echo "ok   50-autoscaled-llama-server.rules allows exactly start/stop/restart of llama-server@N.service"
        else
            fail "50-autoscaled-llama-server.rules"
            printf '%s\n' "$errors" | sed 's/^/     /'
        fi
    else
        echo "skip 50-autoscaled-llama-server.rules (node not installed)"
    fi
fi

if [[ $failures -ne 0 ]]; then
    echo "check-units: $failures check(s) failed"
    exit 1
fi
echo "check-units: all checks passed"
