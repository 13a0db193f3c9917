#!/usr/bin/env bash
# The man pages render without a warning (groff and man-db, Debian's groff-base and man-db).
set -euo pipefail
missing=()
command -v groff >/dev/null || missing+=(groff-base)
command -v man >/dev/null || missing+=(man-db)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for page in docs/man/*.[0-9]; do
    warnings=$( { groff -man -ww -z "$page"; man --warnings -E UTF-8 -l "$page" >/dev/null; } 2>&1)
    if [ -n "$warnings" ]; then
        printf 'FAIL %s\n%s\n' "$page" "$warnings"
        exit 1
    fi
    echo "ok   $page renders without warnings"
done
