# Shared by ops/run, ops/test and ops/bench: install what a fresh Debian machine lacks.
# Sourced, not executed.

apt_updated=""
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "missing: $* — install it (apt-get install $*) or run as root" >&2
    return 1
  fi
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The PostgreSQL server binaries (initdb, pg_ctl, postgres), version 13 or newer for xid8.
pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

ensure_postgres() {
  pg_bindir >/dev/null || apt_install postgresql postgresql-contrib
  pg_bindir >/dev/null || { echo "PostgreSQL server binaries not found" >&2; return 1; }
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2; return 1; }
}

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}
