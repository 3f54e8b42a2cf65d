#!/usr/bin/env bash
# Installs a SLURM workload manager (Debian's slurm-wlm, with munge for authentication) so that the cluster
# test can start a real single-node cluster of its own. Says what it does and how long it took; does nothing
# when both are installed. Debian/Ubuntu only (apt); elsewhere it says what to install.
set -euo pipefail
cd "$(dirname "$0")/../.."
INSTALL_PREFIX=installSlurm
source scripts/lib/installSteps.sh

missing=()
for program in slurmctld slurmd sbatch munged; do command -v "$program" >/dev/null || missing+=("$program"); done
if [ ${#missing[@]} -gt 0 ]; then
  run_step "installing slurm-wlm and munge with apt-get (missing: ${missing[*]})" apt_install slurm-wlm munge
fi
