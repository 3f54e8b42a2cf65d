#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Emotion Lens:
# ffmpeg/ffprobe from apt (when missing) and the npm packages (when node_modules is missing or stale).
# Safe to run again: it does nothing when everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "bootstrap: need root to run: $*" >&2; return 1; fi
}

apt_packages=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || apt_packages+=(ffmpeg)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "bootstrap: installing ${apt_packages[*]} with apt-get"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  else
    echo "bootstrap: please install ${apt_packages[*]} (e.g. brew install ffmpeg, winget install ffmpeg)" >&2
    exit 1
  fi
fi

# node_modules is stale when package-lock.json is newer than npm's own record of the install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
