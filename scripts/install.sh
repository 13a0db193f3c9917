#!/usr/bin/env bash
# Installs or removes autoscaled and its systemd units.
#
# Usage: scripts/install.sh [install|uninstall]
#
#   PREFIX=/usr/local    where the binary goes ($PREFIX/bin/autoscaled) and the man pages
#                        ($PREFIX/share/man); the units' ExecStart= is rewritten to match
#   DESTDIR=             staging root prepended to every path (for packaging and tests)
#   AUTOSCALED_BINARY=   an already built binary to install instead of building one
#   AUTOSCALED_EXAMPLE_CONFIG=  the example config (default: config/autoscaled.conf)
#
# install: builds a static release binary, installs it (0755), the man pages autoscaled(8)
# and autoscaled.conf(5) (0644), the units (0644) into /etc/systemd/system, the bash and zsh
# completions (0644, written by `autoscaled completion`) into
# $PREFIX/share/bash-completion/completions/autoscaled and $PREFIX/share/zsh/site-functions/_autoscaled,
# and the example config into /etc/autoscaled/autoscaled.conf, but never over an existing
# config: then it goes to autoscaled.conf.new.
# uninstall: removes the binary, the man pages, the units and the completions; keeps /etc/autoscaled and
# /var/lib/autoscaled.
# Neither step talks to systemd; the script prints the systemctl commands to run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-install}
prefix=${PREFIX:-/usr/local}
destdir=${DESTDIR:-}
example_config=${AUTOSCALED_EXAMPLE_CONFIG:-$repo/config/autoscaled.conf}
units=(autoscaled.service autoscaled@.service)
man_pages=(man8/autoscaled.8 man5/autoscaled.conf.5)

bin_path=$prefix/bin/autoscaled
man_dir=$prefix/share/man
bash_completion=$prefix/share/bash-completion/completions/autoscaled
zsh_completion=$prefix/share/zsh/site-functions/_autoscaled
unit_dir=/etc/systemd/system
config_dir=/etc/autoscaled
state_dir=/var/lib/autoscaled

say() { echo "install.sh: $*"; }

# put MODE SOURCE DEST: installs one file, creating parent directories.
put() {
    install -D -m "$1" "$2" "$destdir$3"
    say "installed $3 (mode $1)"
}

# Rewrites the example config for the installed layout: a relative `path =` in
# [source] or [state] points into the checkout, so it is moved into the state
# directory. Absolute paths are left alone.
installed_config() {
    awk -v state_dir="$state_dir" '
        NR == 1 {
            print "# Installed by scripts/install.sh: relative paths in [source] and [state] were"
            print "# moved into " state_dir " (the comments below still describe the example)."
            print ""
        }
        /^[[:space:]]*\[/ {
            section = $0
            gsub(/[][[:space:]]/, "", section)
        }
        (section == "source" || section == "state") && /^[[:space:]]*path[[:space:]]*=/ {
            value = $0
            sub(/^[^=]*=[[:space:]]*/, "", value)
            sub(/[[:space:]]+$/, "", value)
            if (value !~ /^\//) {
                n = split(value, parts, "/")
                print "path = " state_dir "/" parts[n]
                next
            }
        }
        { print }
    ' "$1"
}

build() {
    if [[ -n "${AUTOSCALED_BINARY:-}" ]]; then
        [[ -f "$AUTOSCALED_BINARY" ]] || { say "AUTOSCALED_BINARY=$AUTOSCALED_BINARY does not exist" >&2; exit 1; }
        say "using prebuilt binary $AUTOSCALED_BINARY"
        binary=$AUTOSCALED_BINARY
        return
    fi
    say "building: swift build -c release --static-swift-stdlib --product autoscaled"
    (cd "$repo" && swift build -c release --static-swift-stdlib --product autoscaled)
    binary=$(cd "$repo" && swift build -c release --static-swift-stdlib --show-bin-path)/autoscaled
    # Debug symbols are most of the static binary (23 MB → 14 MB); keep the build's copy unstripped.
    local stripped
    stripped=$(mktemp)
    cp "$binary" "$stripped"
    strip --strip-unneeded "$stripped"
    say "stripped: $(stat -c %s "$binary") → $(stat -c %s "$stripped") bytes"
    binary=$stripped
}

do_install() {
    build
    put 0755 "$binary" "$bin_path"
    local page
    for page in "${man_pages[@]}"; do
        put 0644 "$repo/docs/man/${page#*/}" "$man_dir/$page"
    done

    local unit staged
    staged=$(mktemp -d)
    trap "rm -rf '$staged'" EXIT
    for unit in "${units[@]}"; do
        sed "s#/usr/local/bin/autoscaled#$bin_path#g" "$repo/systemd/$unit" >"$staged/$unit"
        put 0644 "$staged/$unit" "$unit_dir/$unit"
    done

    # Written by the installed binary, so they offer exactly its subcommands and options.
    "$destdir$bin_path" completion bash >"$staged/completion.bash"
    put 0644 "$staged/completion.bash" "$bash_completion"
    "$destdir$bin_path" completion zsh >"$staged/completion.zsh"
    put 0644 "$staged/completion.zsh" "$zsh_completion"

    if [[ ! -f "$example_config" ]]; then
        say "no example config at $example_config: write $config_dir/autoscaled.conf yourself"
    else
        installed_config "$example_config" >"$staged/autoscaled.conf"
        if [[ -e "$destdir$config_dir/autoscaled.conf" ]]; then
            put 0644 "$staged/autoscaled.conf" "$config_dir/autoscaled.conf.new"
            say "kept the existing $config_dir/autoscaled.conf; compare it with autoscaled.conf.new"
        else
            put 0644 "$staged/autoscaled.conf" "$config_dir/autoscaled.conf"
            say "the config reads loads from $state_dir/loads.json and keeps state in $state_dir/state.json"
        fi
    fi

    say "next: systemctl daemon-reload && systemctl enable --now autoscaled"
    say "  or, one instance per pool (/etc/autoscaled/NAME.conf): systemctl enable --now autoscaled@NAME"
}

do_uninstall() {
    local path
    say "stop a running service first: systemctl disable --now autoscaled (and autoscaled@NAME)"
    for path in "$bin_path" "${man_pages[@]/#/$man_dir/}" "${units[@]/#/$unit_dir/}" "$bash_completion" "$zsh_completion"; do
        if [[ -e "$destdir$path" ]]; then
            rm -f "$destdir$path"
            say "removed $path"
        else
            say "not installed: $path"
        fi
    done
    say "kept $config_dir and $state_dir (remove them by hand to forget config and state)"
    say "next: systemctl daemon-reload"
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
-h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" ;;
*)
    echo "Usage: scripts/install.sh [install|uninstall]" >&2
    exit 64
    ;;
esac
