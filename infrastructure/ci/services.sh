#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL and Redis on loopback for tests and CI.
# Usage: services.sh start DIR [PG_PORT] [REDIS_PORT]   → prints DATABASE_URL=… and REDIS_URL=…
#        services.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?state directory}
pg_port=${3:-55432}
redis_port=${4:-56379}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 777 "$dir"
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    mkdir -p "$dir/pg" && chown postgres "$dir/pg" 2>/dev/null || true
    runas=(); [ "$(id -u)" = 0 ] && runas=(su postgres -s /bin/bash -c)
    init="$pg_bin/initdb -D $dir/pg -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    if [ ${#runas[@]} -gt 0 ]; then "${runas[@]}" "$init"; else bash -c "$init"; fi
  fi
  start="$pg_bin/pg_ctl -D $dir/pg -o '-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -l $dir/pg.log -w start >/dev/null"
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$start"; else bash -c "$start"; fi
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/postgres"
  echo "REDIS_URL=redis://127.0.0.1:$redis_port"
  ;;
stop)
  stop="$pg_bin/pg_ctl -D $dir/pg -m fast stop >/dev/null 2>&1 || true"
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$stop"; else bash -c "$stop"; fi
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  ;;
*) echo "usage: $0 start|stop DIR [PG_PORT] [REDIS_PORT]" >&2; exit 2 ;;
esac
