#!/usr/bin/env bash
# Installs what a real VS Code in a real browser needs here, offline except for apt and the npm registry:
# Debian's chromium (+ libkrb5-dev for code-server's kerberos build, ripgrep), code-server 4.99.4 (VS Code 1.99.3,
# the last line on Node 20) installed locally with npm into a cached folder, and playwright-core.
# Prints the code-server folder on the last line. Safe to run again: cached installs are reused.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=4.99.4
CACHE="${EMOTION_LENS_DEV_CACHE:-$HOME/.cache/emotion-lens-dev}"
PREFIX="$CACHE/code-server-$VERSION"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installCodeServer: apt-get install ${missing[*]}" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x "$PREFIX/node_modules/.bin/code-server" ]; then
  echo "installCodeServer: installing code-server $VERSION into $PREFIX (about a minute)" >&2
  rm -rf "$PREFIX.part"
  mkdir -p "$PREFIX.part"
  tmp="$(mktemp -d)"
  # @vscode/ripgrep downloads rg from GitHub at install; hand it Debian's rg in the tarball it looks for.
  rgdir="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgdir/rg-pkg"
  cp "$(command -v rg)" "$rgdir/rg-pkg/rg"
  tar -czf "$rgdir/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgdir/rg-pkg" rg
  (
    cd "$PREFIX.part"
    echo '{ "name": "code-server-host", "private": true }' > package.json
    export TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true
    npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
    # npm 11 holds back install scripts until approved; code-server needs its own and its native modules'.
    if npm help install-scripts >/dev/null 2>&1; then
      npm install-scripts approve --all --no-allow-scripts-pin >&2
      npm rebuild --foreground-scripts >&2
    fi
  )
  rm -rf "$tmp"
  rm -rf "$PREFIX"
  mv "$PREFIX.part" "$PREFIX"
fi
echo "$PREFIX"
