#!/usr/bin/env bash
# A throwaway, loopback-only CKAN for tests and local publishing trials.
#
#   scripts/ckan/ckan-local.sh setup    install system packages, CKAN venv and the no-Solr plugin
#   scripts/ckan/ckan-local.sh start    start PostgreSQL, Redis and CKAN; write url + api_token
#   scripts/ckan/ckan-local.sh stop     stop all three
#   scripts/ckan/ckan-local.sh status   show what runs (exit 0 only if all three answer)
#
# Everything lives under $CKAN_HOME (default /tmp/yusuan-ckan): the venv, a private PostgreSQL
# cluster, Redis data, the file store, ckan.ini, logs, and the files `url` and `api_token`.
# All servers listen on 127.0.0.1 only, on free ports picked at start.
# See docs/ckan.md.
set -euo pipefail

CKAN_HOME="${CKAN_HOME:-/tmp/yusuan-ckan}"
CKAN_VERSION="${CKAN_VERSION:-2.11.6}"
CKANEXT_DCAT_VERSION="${CKANEXT_DCAT_VERSION:-2.4.4}"   # its RDF parser reads our DCAT in tests
CKAN_START_TIMEOUT="${CKAN_START_TIMEOUT:-240}"   # seconds; 2-core machines are slow
CKAN_MAX_RESOURCE_MB="${CKAN_MAX_RESOURCE_MB:-200}"
ADMIN_USER="yusuan_admin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN_SRC="$HERE/ckanext-yusuan_nosearch"
VENV="$CKAN_HOME/venv"
CKAN_INI="$CKAN_HOME/ckan.ini"
PGDATA="$CKAN_HOME/pg/data"
PGRUN="$CKAN_HOME/pg/run"
PGLOG="$CKAN_HOME/pg/postgres.log"
RDIR="$CKAN_HOME/redis"
CKAN_PID="$CKAN_HOME/ckan.pid"
CKAN_LOG="$CKAN_HOME/ckan.log"
SECRETS="$CKAN_HOME/secrets.env"

say() { printf 'ckan-local: %s\n' "$*"; }
die() { printf 'ckan-local: ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command as the PostgreSQL owner: the `postgres` user when we are root, else ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

pick_python() {
  local p
  for p in "${CKAN_PYTHON:-}" python3.11 python3.12 python3.10 python3; do
    [ -n "$p" ] || continue
    command -v "$p" >/dev/null 2>&1 || continue
    if "$p" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

plugin_hash() {
  (cd "$PLUGIN_SRC" && find . -type f \( -name '*.py' -o -name '*.toml' -o -name '*.cfg' \) \
     -not -path '*/build/*' -not -path '*egg-info*' | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16
}

# ---------------------------------------------------------------------------------------------
cmd_setup() {
  local t0=$SECONDS missing=() p
  for p in postgresql redis-server libpq-dev libmagic1 gcc; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}); run setup as root"
    say "apt-get install ${missing[*]}"
    mkdir -p "$CKAN_HOME"
    apt-get update -qq >"$CKAN_HOME/apt.log" 2>&1 || die "apt-get update failed, see $CKAN_HOME/apt.log"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
      >>"$CKAN_HOME/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed, see $CKAN_HOME/apt.log"
    # Debian's packages try to start their own default servers; we use private ones only.
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  else
    say "system packages present"
  fi
  pg_bin >/dev/null || die "PostgreSQL server binaries not found"

  mkdir -p "$CKAN_HOME"; chmod 755 "$CKAN_HOME"
  local py; py="$(pick_python)" || die "need Python >= 3.10 for CKAN $CKAN_VERSION"
  if [ -x "$VENV/bin/ckan" ] && [ "$(cat "$VENV/.ckan-version" 2>/dev/null)" = "$CKAN_VERSION" ]; then
    say "CKAN $CKAN_VERSION venv present"
  else
    say "creating venv and installing CKAN $CKAN_VERSION (takes about a minute)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV" || die "cannot create venv with $py"
    "$VENV/bin/pip" install -q --upgrade pip setuptools wheel >"$CKAN_HOME/pip.log" 2>&1 \
      || die "pip bootstrap failed, see $CKAN_HOME/pip.log"
    "$VENV/bin/pip" install -q "ckan[requirements]==$CKAN_VERSION" >>"$CKAN_HOME/pip.log" 2>&1 \
      || die "pip install ckan==$CKAN_VERSION failed, see $CKAN_HOME/pip.log"
    echo "$CKAN_VERSION" >"$VENV/.ckan-version"
  fi

  local h; h="$(plugin_hash)"
  if [ "$(cat "$VENV/.plugin-hash" 2>/dev/null)" = "$h" ]; then
    say "plugin yusuan_nosearch present"
  else
    say "installing plugin yusuan_nosearch"
    rm -rf "$PLUGIN_SRC/build" "$PLUGIN_SRC"/*.egg-info
    "$VENV/bin/pip" install -q --no-deps --no-build-isolation --force-reinstall "$PLUGIN_SRC" \
      >>"$CKAN_HOME/pip.log" 2>&1 || die "plugin install failed, see $CKAN_HOME/pip.log"
    rm -rf "$PLUGIN_SRC/build" "$PLUGIN_SRC"/*.egg-info
    echo "$h" >"$VENV/.plugin-hash"
  fi

  # ckanext-dcat: installed, not enabled. tests/ckan/test_dcat_harvest.py runs its RDF parser
  # in this venv over the served catalogue and creates the parsed datasets through the API.
  if [ "$("$VENV/bin/pip" show ckanext-dcat 2>/dev/null | sed -n 's/^Version: //p')" = "$CKANEXT_DCAT_VERSION" ]; then
    say "ckanext-dcat $CKANEXT_DCAT_VERSION present"
  else
    say "installing ckanext-dcat $CKANEXT_DCAT_VERSION"
    "$VENV/bin/pip" install -q "ckanext-dcat==$CKANEXT_DCAT_VERSION" >>"$CKAN_HOME/pip.log" 2>&1 \
      || die "pip install ckanext-dcat==$CKANEXT_DCAT_VERSION failed, see $CKAN_HOME/pip.log"
  fi
  say "setup done in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------------
ckan_cli() { "$VENV/bin/ckan" -c "$CKAN_INI" "$@"; }

pg_port() { sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null; }

psql_su() {
  as_pg "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGRUN" -p "$(pg_port)" -U postgres -d "${PSQL_DB:-postgres}" "$@"
}

start_postgres() {
  local bin fresh=0; bin="$(pg_bin)"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$CKAN_HOME"; then
    die "user postgres cannot enter $CKAN_HOME; choose a CKAN_HOME under /tmp"
  fi
  mkdir -p "$CKAN_HOME/pg"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    rm -rf "$PGDATA" "$PGRUN"; mkdir -p "$PGDATA" "$PGRUN"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$CKAN_HOME/pg"
    as_pg "$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$CKAN_HOME/pg/initdb.log" 2>&1 \
      || die "initdb failed, see $CKAN_HOME/pg/initdb.log"
    rm -f "$CKAN_HOME/api_token"
    fresh=1
  fi
  if as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "postgresql already running on 127.0.0.1:$(pg_port)"
  else
    local port; port="$(free_port)"
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 120 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PGRUN -c fsync=off -c full_page_writes=off -c shared_buffers=32MB" \
      start >/dev/null || die "postgresql did not start, see $PGLOG"
    say "postgresql started on 127.0.0.1:$port$([ $fresh = 1 ] && echo ' (new cluster)')"
  fi
  # Role and database for CKAN (idempotent).
  # shellcheck disable=SC1090
  . "$SECRETS"
  psql_su -c "DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ckan') THEN CREATE ROLE ckan LOGIN; END IF;
    END\$\$; ALTER ROLE ckan PASSWORD '$DB_PASSWORD';" >/dev/null || die "cannot create database role"
  if [ -z "$(psql_su -tAc "SELECT 1 FROM pg_database WHERE datname = 'ckan'")" ]; then
    psql_su -c "CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0" >/dev/null \
      || die "cannot create database ckan"
  fi
}

start_redis() {
  mkdir -p "$RDIR"
  if pid_alive "$RDIR/redis.pid" && redis-cli -h 127.0.0.1 -p "$(cat "$RDIR/port")" ping 2>/dev/null | grep -q PONG; then
    say "redis already running on 127.0.0.1:$(cat "$RDIR/port")"; return 0
  fi
  local port; port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --pidfile "$RDIR/redis.pid" \
    --logfile "$RDIR/redis.log" --dir "$RDIR" --save '' --appendonly no >/dev/null \
    || die "redis did not start, see $RDIR/redis.log"
  echo "$port" >"$RDIR/port"
  local _
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && { say "redis started on 127.0.0.1:$port"; return 0; }
    sleep 0.2
  done
  die "redis did not answer on 127.0.0.1:$port, see $RDIR/redis.log"
}

write_config() {
  local port="$1"
  if [ ! -s "$CKAN_INI" ]; then
    "$VENV/bin/ckan" generate config "$CKAN_INI" >/dev/null || die "ckan generate config failed"
  fi
  # shellcheck disable=SC1090
  . "$SECRETS"
  mkdir -p "$CKAN_HOME/storage"
  "$VENV/bin/ckan" config-tool "$CKAN_INI" \
    "sqlalchemy.url = postgresql://ckan:$DB_PASSWORD@127.0.0.1:$(pg_port)/ckan" \
    "ckan.site_url = http://127.0.0.1:$port" \
    "ckan.site_id = yusuan-local" \
    "ckan.redis.url = redis://127.0.0.1:$(cat "$RDIR/port")/0" \
    "solr_url = http://127.0.0.1:9/solr/unused" \
    "ckan.plugins = yusuan_nosearch" \
    "ckan.storage_path = $CKAN_HOME/storage" \
    "ckan.max_resource_size = $CKAN_MAX_RESOURCE_MB" \
    "ckan.auth.create_user_via_web = false" \
    "debug = false" >/dev/null || die "ckan config-tool failed"
}

ensure_admin_and_token() {
  # shellcheck disable=SC1090
  . "$SECRETS"
  if [ -z "$(PSQL_DB=ckan psql_su -tAc "SELECT 1 FROM \"user\" WHERE name = '$ADMIN_USER'")" ]; then
    ckan_cli user add "$ADMIN_USER" email=admin@yusuan.invalid password="$ADMIN_PASSWORD" \
      >>"$CKAN_HOME/cli.log" 2>&1 || die "ckan user add failed, see $CKAN_HOME/cli.log"
    ckan_cli sysadmin add "$ADMIN_USER" >>"$CKAN_HOME/cli.log" 2>&1 \
      || die "ckan sysadmin add failed, see $CKAN_HOME/cli.log"
    rm -f "$CKAN_HOME/api_token"
    say "sysadmin $ADMIN_USER created"
  fi
  # Keep a stored token only if the database still knows its id (jti).
  if [ -s "$CKAN_HOME/api_token" ]; then
    local jti
    jti="$(python3 -c 'import base64,json,sys; p=open(sys.argv[1]).read().strip().split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])' "$CKAN_HOME/api_token" 2>/dev/null || true)"
    if [ -z "$jti" ] || [ -z "$(PSQL_DB=ckan psql_su -tAc "SELECT 1 FROM api_token WHERE id = '${jti//\'/}'")" ]; then
      rm -f "$CKAN_HOME/api_token"
    fi
  fi
  if [ ! -s "$CKAN_HOME/api_token" ]; then
    local out tok
    out="$(ckan_cli user token add "$ADMIN_USER" yusuan-local 2>>"$CKAN_HOME/cli.log")" \
      || die "ckan user token add failed, see $CKAN_HOME/cli.log"
    tok="$(printf '%s\n' "$out" | tail -n 1 | tr -d '[:space:]')"
    [ -n "$tok" ] || die "could not read the API token from 'ckan user token add'"
    (umask 077; printf '%s\n' "$tok" >"$CKAN_HOME/api_token")
    say "API token written to $CKAN_HOME/api_token"
  else
    say "API token present in $CKAN_HOME/api_token"
  fi
}

status_ok() { curl -fsS -m 5 "$1/api/3/action/status_show" 2>/dev/null | grep -q '"success": *true'; }

cmd_start() {
  local t0=$SECONDS
  [ -x "$VENV/bin/ckan" ] || die "CKAN is not installed in $VENV; run '$0 setup' first"
  command -v redis-server >/dev/null || die "redis-server missing; run '$0 setup' first"
  if pid_alive "$CKAN_PID" && [ -s "$CKAN_HOME/url" ] && status_ok "$(cat "$CKAN_HOME/url")"; then
    say "already running at $(cat "$CKAN_HOME/url")"; return 0
  fi
  mkdir -p "$CKAN_HOME"; chmod 755 "$CKAN_HOME"
  if [ ! -s "$SECRETS" ]; then
    (umask 077
     printf 'DB_PASSWORD=%s\nADMIN_PASSWORD=%s\n' \
       "$(python3 -c 'import secrets; print(secrets.token_hex(16))')" \
       "$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')" >"$SECRETS")
  fi
  start_postgres
  start_redis
  local port; port="$(free_port)"
  write_config "$port"
  say "ckan.ini written ($CKAN_INI)"
  ckan_cli db init >>"$CKAN_HOME/cli.log" 2>&1 || die "ckan db init failed, see $CKAN_HOME/cli.log"
  say "database initialised"
  ensure_admin_and_token
  rm -f "$CKAN_HOME/url"
  # setsid: CKAN gets its own process group, so `stop` can end exactly what we started.
  setsid "$VENV/bin/ckan" -c "$CKAN_INI" run -H 127.0.0.1 -p "$port" --disable-reloader \
    >"$CKAN_LOG" 2>&1 </dev/null &
  echo $! >"$CKAN_PID"
  local url="http://127.0.0.1:$port" deadline=$((SECONDS + CKAN_START_TIMEOUT))
  while ! status_ok "$url"; do
    pid_alive "$CKAN_PID" || { tail -n 20 "$CKAN_LOG" >&2; die "ckan run exited, see $CKAN_LOG"; }
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$CKAN_LOG" >&2
      stop_pidfile ckan "$CKAN_PID" >/dev/null
      die "CKAN did not answer within ${CKAN_START_TIMEOUT}s (stopped it; PostgreSQL and Redis still run), see $CKAN_LOG"
    fi
    sleep 0.5
  done
  echo "$url" >"$CKAN_HOME/url"
  say "CKAN $CKAN_VERSION answering at $url (start took $((SECONDS - t0)) s)"
}

# ---------------------------------------------------------------------------------------------
stop_pidfile() {  # name pidfile
  local pid; pid="$(cat "$2")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local _
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    say "$1 killed (did not stop on TERM)"
  else
    say "$1 stopped"
  fi
  rm -f "$2"
}

cmd_stop() {
  if pid_alive "$CKAN_PID"; then stop_pidfile ckan "$CKAN_PID"; else say "ckan not running"; rm -f "$CKAN_PID"; fi
  rm -f "$CKAN_HOME/url"
  if pid_alive "$RDIR/redis.pid"; then
    redis-cli -h 127.0.0.1 -p "$(cat "$RDIR/port")" shutdown nosave >/dev/null 2>&1 || true
    local _; for _ in $(seq 1 20); do pid_alive "$RDIR/redis.pid" || break; sleep 0.25; done
    if pid_alive "$RDIR/redis.pid"; then stop_pidfile redis "$RDIR/redis.pid"; else say "redis stopped"; fi
  else
    say "redis not running"
  fi
  local bin; bin="$(pg_bin 2>/dev/null || true)"
  if [ -n "$bin" ] && [ -s "$PGDATA/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed"
    say "postgresql stopped"
  else
    say "postgresql not running"
  fi
}

cmd_status() {
  local ok=0 bin; bin="$(pg_bin 2>/dev/null || true)"
  if [ -n "$bin" ] && [ -d "$PGDATA" ] && as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "postgresql: running on 127.0.0.1:$(pg_port)"
  else say "postgresql: stopped"; ok=1; fi
  if pid_alive "$RDIR/redis.pid"; then say "redis: running on 127.0.0.1:$(cat "$RDIR/port")"
  else say "redis: stopped"; ok=1; fi
  if pid_alive "$CKAN_PID" && [ -s "$CKAN_HOME/url" ] && status_ok "$(cat "$CKAN_HOME/url")"; then
    say "ckan: running at $(cat "$CKAN_HOME/url") (pid $(cat "$CKAN_PID"))"
  elif pid_alive "$CKAN_PID"; then say "ckan: process $(cat "$CKAN_PID") alive but not answering"; ok=1
  else say "ckan: stopped"; ok=1; fi
  return $ok
}

case "${1:-}" in
  setup) cmd_setup ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 {setup|start|stop|status}   (CKAN_HOME=${CKAN_HOME})" >&2; exit 2 ;;
esac
