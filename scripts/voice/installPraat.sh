#!/usr/bin/env bash
# Installs Praat (Debian's praat package), the phoneticians' reference that the voice tests check our own
# F0, jitter, shimmer, HNR and intensity against. Runs headless (`praat --run script ARGS`); the extension
# never depends on it. Says what it does and how long it took; does nothing when praat is installed.
# Debian/Ubuntu only (apt); elsewhere it says what to install.
set -euo pipefail
cd "$(dirname "$0")/../.."
INSTALL_PREFIX=installPraat
source scripts/lib/installSteps.sh

if ! command -v praat >/dev/null; then
  run_step "installing praat with apt-get (missing: praat)" apt_install praat
fi
