#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Emotion Lens:
# ffmpeg/ffprobe from apt (when missing) and the npm packages (when node_modules is missing or stale).
# Safe to run again: it does nothing when everything is in place. Says what it installs and how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
INSTALL_PREFIX=bootstrap
source scripts/lib/installSteps.sh

if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  if command -v apt-get >/dev/null; then
    run_step "installing ffmpeg with apt-get" apt_install ffmpeg
  else
    echo "bootstrap: please install ffmpeg (e.g. brew install ffmpeg, winget install ffmpeg)" >&2
    exit 1
  fi
fi

# node_modules is stale when package-lock.json is newer than npm's own record of the install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # --ignore-scripts: no dependency needs its install script (.npmrc says why); npm 11 also honours allowScripts.
  run_step "installing npm packages (npm ci)" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
