# Shared by the install scripts (sourced, not run): timed steps, apt installs that wait for another apt/dpkg
# process instead of failing, and a clean npm environment for nested npm installs.
# Each script sets INSTALL_PREFIX (the name its lines start with) before sourcing this file.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "$INSTALL_PREFIX: need root to run: $*" >&2; return 1; fi
}

# Says what a step does before it starts and how long it took once done; the step's own output goes to stderr.
run_step() {
  local what=$1 started=$SECONDS
  shift
  echo "$INSTALL_PREFIX: $what" >&2
  "$@"
  echo "$INSTALL_PREFIX: $what: done in $((SECONDS - started)) s" >&2
}

APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# Prints "PID (name)" of a process holding one of apt's locks, from /proc/locks (read only: no lock is taken).
apt_lock_holder() {
  [ -r /proc/locks ] || return 1
  local lock inode pid
  for lock in "${APT_LOCKS[@]}"; do
    [ -e "$lock" ] || continue
    inode=$(stat -c %i "$lock") || continue
    pid=$(awk -v inode="$inode" '$1 != "->" { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9a-f]+:[0-9a-f]+:[0-9]+$/) { split($i, p, ":"); if (p[3] == inode) { print $(i - 1); exit } } }' /proc/locks)
    if [ -n "$pid" ]; then
      echo "$pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo unknown))"
      return 0
    fi
  done
  return 1
}

# Waits (up to APT_LOCK_WAIT_SEC, default 600) while another apt/dpkg process holds apt's locks, saying so.
wait_for_apt_lock() {
  local limit=${APT_LOCK_WAIT_SEC:-600} waited=0 holder
  holder=$(apt_lock_holder) || return 0
  echo "$INSTALL_PREFIX: another apt/dpkg process, $holder, holds the package lock (unattended upgrades or another install); waiting up to $limit s for it" >&2
  while holder=$(apt_lock_holder); do
    if [ "$waited" -ge "$limit" ]; then
      echo "$INSTALL_PREFIX: $holder still holds the package lock after $limit s; run again when it has finished" >&2
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
  echo "$INSTALL_PREFIX: the package lock is free after $waited s" >&2
}

# apt-get install of the given Debian packages. Waits for the lock itself (with a line saying so), and
# apt's own DPkg::Lock::Timeout covers a process that takes the lock in between.
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "$INSTALL_PREFIX: please install $* with your system's package manager (this script knows apt-get only)" >&2
    return 1
  fi
  local timeout=${APT_LOCK_WAIT_SEC:-600}
  wait_for_apt_lock
  as_root apt-get -o DPkg::Lock::Timeout="$timeout" update -qq
  wait_for_apt_lock
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout="$timeout" install -y -qq "$@" >/dev/null
}

# `npm run` exports the project's .npmrc (ignore-scripts=true among it) to its children as npm_config_*
# variables: a nested `npm install` of a tool that needs its install scripts would silently skip them. Drops
# every npm_* variable but the user's network settings (registry, proxies, certificates).
clean_npm_environment() {
  local name
  for name in $(compgen -e); do
    case "${name,,}" in
      npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_strict_ssl | npm_config_userconfig | npm_config_globalconfig) ;;
      npm_*) unset "$name" ;;
    esac
  done
}

# node-gyp builds native modules against Node's headers and downloads them from nodejs.org when it is not told
# where they are (offline here); `npm config get nodedir` is not passed to install scripts, so name the folder.
export_node_headers() {
  local candidate
  for candidate in "${npm_config_nodedir:-}" "$(npm config get nodedir 2>/dev/null)" "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"; do
    if [ -n "$candidate" ] && [ -f "$candidate/include/node/node_api.h" ]; then
      export npm_config_nodedir="$candidate"
      return 0
    fi
  done
  echo "$INSTALL_PREFIX: Node's headers (include/node/node_api.h) were not found beside $(command -v node); node-gyp will try to download them" >&2
}
