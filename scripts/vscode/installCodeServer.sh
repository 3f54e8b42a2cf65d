#!/usr/bin/env bash
# Installs what a real VS Code in a real browser needs here, offline except for apt and the npm registry:
# Debian's chromium (+ libkrb5-dev for code-server's kerberos build, ripgrep), and code-server 4.99.4 (VS Code
# 1.99.3, the last line on Node 20) installed locally with npm into a cached folder, with an npm cache of its own.
# Works the same run directly or from an npm script (npm run demo, npm test). Says what it does and how long
# each step took on stderr; prints the code-server folder on the last line of stdout. Cached installs are reused.
#   EMOTION_LENS_DEV_CACHE  where code-server and its npm cache go (default ~/.cache/emotion-lens-dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
INSTALL_PREFIX=installCodeServer
source scripts/lib/installSteps.sh

VERSION=4.99.4
CACHE="${EMOTION_LENS_DEV_CACHE:-$HOME/.cache/emotion-lens-dev}"
PREFIX="$CACHE/code-server-$VERSION"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  run_step "installing ${missing[*]} with apt-get" apt_install "${missing[@]}"
fi

install_code_server() {
  rm -rf "$PREFIX.part"
  mkdir -p "$PREFIX.part"
  local tmp
  tmp="$(mktemp -d)"
  # @vscode/ripgrep downloads rg from GitHub at install; hand it Debian's rg in the tarball it looks for.
  local rgdir="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgdir/rg-pkg"
  cp "$(command -v rg)" "$rgdir/rg-pkg/rg"
  tar -czf "$rgdir/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgdir/rg-pkg" rg
  (
    cd "$PREFIX.part"
    clean_npm_environment
    export_node_headers
    echo '{ "name": "code-server-host", "private": true }' > package.json
    # code-server is made of install scripts (argon2's binding, its own postinstall that installs VS Code's
    # node_modules): they must run whatever the caller's npm settings say.
    export TMPDIR="$tmp" npm_config_ignore_scripts=false npm_config_unsafe_perm=true npm_config_yes=true
    export npm_config_cache="$CACHE/npm-cache" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
    npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
    # npm 11 holds back install scripts until approved; code-server needs its own and its native modules'.
    if npm help install-scripts >/dev/null 2>&1; then
      npm install-scripts approve --all --no-allow-scripts-pin >&2
      npm rebuild --foreground-scripts >&2
    fi
  )
  rm -rf "$tmp"
  check_code_server "$PREFIX.part"
  rm -rf "$PREFIX"
  mv "$PREFIX.part" "$PREFIX"
}

# The install is only usable when its install scripts ran: argon2's native binding and VS Code's own
# node_modules (both missing when scripts were skipped, and code-server then dies at start-up).
check_code_server() {
  local root=$1/node_modules/code-server problems=()
  [ -x "$1/node_modules/.bin/code-server" ] || problems+=("no code-server binary")
  compgen -G "$1/node_modules/argon2/lib/binding/*/argon2.node" >/dev/null || compgen -G "$1/node_modules/argon2/build/Release/argon2.node" >/dev/null \
    || problems+=("argon2 has no native binding")
  [ -d "$root/lib/vscode/node_modules/@microsoft/1ds-core-js" ] || problems+=("VS Code's node_modules were not installed (lib/vscode/node_modules)")
  if [ ${#problems[@]} -gt 0 ]; then
    echo "$INSTALL_PREFIX: the code-server install in $1 is incomplete: ${problems[*]}. Its install scripts did not run; remove the folder and run this script again" >&2
    return 1
  fi
}

if [ -x "$PREFIX/node_modules/.bin/code-server" ]; then
  check_code_server "$PREFIX"
else
  run_step "installing code-server $VERSION into $PREFIX (about 1-2 minutes the first time)" install_code_server
fi
echo "$PREFIX"
