#!/usr/bin/env bash
# The production shape on one machine: nginx (Debian's package) on one port, round robin
# over N server processes, all on one PostgreSQL database. Used by `make cluster` (to try
# it) and by `make test` (the phone journeys and the HTTP concurrency tests through it).
#
#   scripts/cluster.sh start [N]   build nothing; start N servers (default 2) and nginx
#   scripts/cluster.sh stop        stop them
#   scripts/cluster.sh restart K   SIGTERM server K (1-based), wait, start it again
#
# Settings (environment): CLUSTER_PORT (nginx, default 3300), CLUSTER_DB (database name,
# default cloud_store_cluster; dropped and made afresh on start), PG_URL (the server,
# default postgres://postgres@127.0.0.1:5432), SERVER (binary, default
# target/release/server), SITE_ROOT (default target/site), CLUSTER_DIR (pids, logs,
# nginx.conf; default /tmp/cloud-store-cluster), CLUSTER_PAYMENT (the servers' PAYMENT:
# unset, demo mode's default, the demo gateway; `off` for journeys that take no payment).
# What a real deployment changes: see README ("Run it as a fleet").
set -euo pipefail
# Paths are the repository's, wherever this is called from (a test runs in server/).
cd "$(dirname "$0")/.."

PORT=${CLUSTER_PORT:-3300}
DB=${CLUSTER_DB:-cloud_store_cluster}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
SERVER=${SERVER:-target/release/server}
SITE_ROOT=${SITE_ROOT:-target/site}
DIR=${CLUSTER_DIR:-/tmp/cloud-store-cluster}
FIRST_BACKEND=$((PORT + 1))
# One signing key for every server, made per run (links signed by one are good on all).
KEY_FILE="$DIR/secret-key"

backend_port() { echo $((FIRST_BACKEND + $1 - 1)); }

start_server() {
  local k=$1 port
  port=$(backend_port "$k")
  INSTANCE="server-$k" BIND_ADDR="127.0.0.1:$port" DATABASE_URL="$PG_URL/$DB" SITE_ROOT="$SITE_ROOT" \
    SECRET_KEY="$(cat "$KEY_FILE")" TRUSTED_PROXIES=127.0.0.1/32 DEMO_MODE=true \
    PAYMENT="${CLUSTER_PAYMENT:-}" \
    ADMIN_PHONE=13800000000 ADMIN_PASSWORD="${CLUSTER_ADMIN_PASSWORD:-cluster admin password}" \
    RUST_LOG=${RUST_LOG:-warn} "$SERVER" >>"$DIR/server-$k.log" 2>&1 &
  echo $! >"$DIR/server-$k.pid"
}

wait_healthy() {
  local url=$1
  for _ in $(seq 150); do
    curl -sf "$url/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "cluster: $url did not become healthy" >&2
  return 1
}

stop_pid() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

case "${1:-}" in
  start)
    n=${2:-2}
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$DIR"
    rm -f "$DIR"/*.log
    [ -s "$KEY_FILE" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$KEY_FILE")
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
    upstream=""
    # All at once: the first to migrate and seed does; the others see it done.
    for k in $(seq "$n"); do
      start_server "$k"
      upstream="$upstream    server 127.0.0.1:$(backend_port "$k") max_fails=1 fail_timeout=2s;"$'\n'
    done
    cat >"$DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/body;
  proxy_temp_path $DIR/proxy;
  fastcgi_temp_path $DIR/fastcgi;
  uwsgi_temp_path $DIR/uwsgi;
  scgi_temp_path $DIR/scgi;
  upstream cloud_store {
$upstream    keepalive 32;
  }
  server {
    listen 127.0.0.1:$PORT;
    client_max_body_size 4m;
    location / {
      proxy_pass http://cloud_store;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A server that stops (a rolling restart) is skipped: idempotent requests go to the
      # next one; a POST is retried only if it never reached the server. A 503 is the
      # database being away, which another server cannot help with: it goes to the client.
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
    for k in $(seq "$n"); do wait_healthy "http://127.0.0.1:$(backend_port "$k")"; done
    nginx -c "$DIR/nginx.conf" -p "$DIR" >>"$DIR/nginx.log" 2>&1 &
    echo $! >"$DIR/nginx.pid.launcher"
    wait_healthy "http://127.0.0.1:$PORT"
    echo "cluster: nginx on http://127.0.0.1:$PORT → $n servers on PostgreSQL database $DB"
    ;;
  stop)
    if [ -f "$DIR/nginx.pid" ]; then stop_pid "$DIR/nginx.pid"; fi
    rm -f "$DIR/nginx.pid.launcher"
    for f in "$DIR"/server-*.pid; do [ -e "$f" ] && stop_pid "$f"; done
    echo "cluster: stopped"
    ;;
  restart)
    k=${2:?which server}
    stop_pid "$DIR/server-$k.pid"
    start_server "$k"
    wait_healthy "http://127.0.0.1:$(backend_port "$k")"
    ;;
  *)
    sed -n '2,16p' "$0"
    exit 2
    ;;
esac
