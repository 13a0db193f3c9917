#!/usr/bin/env bash
# Tests scripts/install.sh in a throwaway DESTDIR: files, modes, rewritten paths, shell
# completions, no overwrite of an existing config, and an uninstall that keeps config and state.
#
# Usage: scripts/test-install.sh [BINARY]
#   BINARY (or AUTOSCALED_BINARY) is installed as is; default: a stub script.
# Needs no root and no systemd manager; runs scripts/check-units.sh on the installed units.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

binary=${1:-${AUTOSCALED_BINARY:-}}
if [[ -z "$binary" ]]; then
    binary=$work/autoscaled-stub
    printf '#!/bin/sh\nif [ "$1" = completion ]; then echo "# $2 completion stub"; else echo autoscaled stub; fi\n' >"$binary"
    chmod +x "$binary"
fi

passed=0
failed=0
check() {
    local name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
    fi
}
mode_is() { [[ "$(stat -c %a "$2")" == "$1" ]]; }
has_line() { grep -qxF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# A config shaped like the example: relative source and state paths.
fixture=$work/example.conf
cat >"$fixture" <<'EOF'
# example
[source]
path = loads.json
format = json

[policy]
scale_up_threshold = 50

[state]
path = var/state.json
EOF

run_install() {
    env DESTDIR="$1" AUTOSCALED_BINARY="$binary" AUTOSCALED_EXAMPLE_CONFIG="${3:-$fixture}" \
        ${2:+PREFIX="$2"} "$repo/scripts/install.sh" install
}

echo "== install into an empty DESTDIR"
d1=$work/root1
run_install "$d1" >"$work/install1.log"
cat "$work/install1.log"
check "binary installed, mode 0755" mode_is 755 "$d1/usr/local/bin/autoscaled"
check "binary is the given one" cmp "$binary" "$d1/usr/local/bin/autoscaled"
for page in man8/autoscaled.8 man5/autoscaled.conf.5; do
    check "$page installed, mode 0644" mode_is 644 "$d1/usr/local/share/man/$page"
    check "$page is the repository's" cmp "$repo/docs/man/${page#*/}" "$d1/usr/local/share/man/$page"
done
if command -v man >/dev/null; then
    check "man finds autoscaled(8) and autoscaled.conf(5) under the prefix" \
        env MANPATH="$d1/usr/local/share/man" sh -c 'man -w 8 autoscaled && man -w 5 autoscaled.conf'
fi
for unit in autoscaled.service autoscaled@.service; do
    check "$unit installed, mode 0644" mode_is 644 "$d1/etc/systemd/system/$unit"
    check "$unit unchanged for the default PREFIX" cmp "$repo/systemd/$unit" "$d1/etc/systemd/system/$unit"
done
bash_completion=$d1/usr/local/share/bash-completion/completions/autoscaled
zsh_completion=$d1/usr/local/share/zsh/site-functions/_autoscaled
check "bash completion installed, mode 0644" mode_is 644 "$bash_completion"
check "bash completion is what the binary prints" cmp <("$binary" completion bash) "$bash_completion"
check "bash completion passes bash -n" bash -n "$bash_completion"
check "zsh completion installed, mode 0644" mode_is 644 "$zsh_completion"
check "zsh completion is what the binary prints" cmp <("$binary" completion zsh) "$zsh_completion"
if command -v zsh >/dev/null; then
    check "zsh completion passes zsh -n" zsh -n "$zsh_completion"
fi
config=$d1/etc/autoscaled/autoscaled.conf
check "config installed, mode 0644" mode_is 644 "$config"
check "config: state path moved into the state directory" has_line "$config" "path = /var/lib/autoscaled/state.json"
check "config: source path moved into the state directory" has_line "$config" "path = /var/lib/autoscaled/loads.json"
check "config: two paths rewritten, three header lines added" \
    test "$(diff "$fixture" "$config" | grep -c '^>')" -eq 5
check "config: header says what was rewritten" grep -q '^# Installed by scripts/install.sh' "$config"
check "install says where state and loads live" grep -q "/var/lib/autoscaled/state.json" "$work/install1.log"

echo "== second install over an edited config"
echo "# edited by hand" >>"$config"
cp "$config" "$work/edited.conf"
run_install "$d1" >"$work/install2.log"
cat "$work/install2.log"
check "existing config untouched" cmp "$work/edited.conf" "$config"
check "new example installed beside it as autoscaled.conf.new, mode 0644" \
    mode_is 644 "$d1/etc/autoscaled/autoscaled.conf.new"
check "install says it kept the config" grep -q "kept the existing /etc/autoscaled/autoscaled.conf" "$work/install2.log"

echo "== absolute paths in the example stay as they are"
sed 's#^path = loads.json#path = /srv/loads.json#' "$fixture" >"$work/absolute.conf"
run_install "$work/root-absolute" "" "$work/absolute.conf" >/dev/null
check "absolute source path kept" has_line "$work/root-absolute/etc/autoscaled/autoscaled.conf" "path = /srv/loads.json"

echo "== PREFIX=/opt/autoscaled"
d2=$work/root2
run_install "$d2" /opt/autoscaled >/dev/null
check "binary under the prefix" test -x "$d2/opt/autoscaled/bin/autoscaled"
check "man pages under the prefix" test -f "$d2/opt/autoscaled/share/man/man8/autoscaled.8"
check "bash completion under the prefix" test -f "$d2/opt/autoscaled/share/bash-completion/completions/autoscaled"
check "zsh completion under the prefix" test -f "$d2/opt/autoscaled/share/zsh/site-functions/_autoscaled"
check "nothing under /usr/local" test ! -e "$d2/usr/local"
for unit in autoscaled.service autoscaled@.service; do
    check "$unit: ExecStart uses the prefix" grep -q '^ExecStart=/opt/autoscaled/bin/autoscaled run --config' \
        "$d2/etc/systemd/system/$unit"
    check "$unit: no /usr/local path left" lacks "$d2/etc/systemd/system/$unit" /usr/local
done
if command -v systemd-analyze >/dev/null; then
    check "installed units pass check-units.sh" "$repo/scripts/check-units.sh" "$d2/etc/systemd/system"
else
    echo "skip check-units.sh on installed units (systemd-analyze not installed)"
fi

if [[ -f "$repo/config/autoscaled.conf" ]]; then
    echo "== the repository's example config"
    d3=$work/root3
    run_install "$d3" "" "$repo/config/autoscaled.conf" >/dev/null
    check "example config: state path rewritten" \
        has_line "$d3/etc/autoscaled/autoscaled.conf" "path = /var/lib/autoscaled/state.json"
    check "example config: source path rewritten" \
        has_line "$d3/etc/autoscaled/autoscaled.conf" "path = /var/lib/autoscaled/loads.json"
fi

echo "== uninstall"
DESTDIR=$d1 "$repo/scripts/install.sh" uninstall | tee "$work/uninstall.log"
check "binary removed" test ! -e "$d1/usr/local/bin/autoscaled"
check "man pages removed" test ! -e "$d1/usr/local/share/man/man8/autoscaled.8" -a ! -e "$d1/usr/local/share/man/man5/autoscaled.conf.5"
check "autoscaled.service removed" test ! -e "$d1/etc/systemd/system/autoscaled.service"
check "autoscaled@.service removed" test ! -e "$d1/etc/systemd/system/autoscaled@.service"
check "bash completion removed" test ! -e "$bash_completion"
check "zsh completion removed" test ! -e "$zsh_completion"
check "config kept" cmp "$work/edited.conf" "$config"
check "config .new kept" test -f "$d1/etc/autoscaled/autoscaled.conf.new"
check "a second uninstall succeeds" env DESTDIR="$d1" "$repo/scripts/install.sh" uninstall

status=0
env DESTDIR="$d1" "$repo/scripts/install.sh" frobnicate >/dev/null 2>&1 || status=$?
check "an unknown action exits 64" test "$status" -eq 64

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
