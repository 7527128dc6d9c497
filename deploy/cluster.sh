#!/usr/bin/env bash
# gonghui on more than one machine, all on loopback: `deploy/cluster.sh up|down|status|env`.
#
#   HAProxy :18000 ─┬─ gunicorn app1 :18001 ─┐   PgBouncer :16431 → node1 :15431 ┐ pg_auto_failover
#                   └─ gunicorn app2 :18002 ─┤   PgBouncer :16432 → node2 :15432 ├ (monitor :15430):
#                                            │   PgBouncer :16433 → node3 :15433 ┘ primary + synchronous
#                                            │                                     secondary + async replica
#                                            └─ Redis master :16379 + replica :16380, Sentinels :26379-26381
#
# Only Debian packages (haproxy, pgbouncer, postgresql-15-auto-failover, redis-sentinel) are used; they are
# installed when missing. Nothing here touches the system PostgreSQL (5432) or Redis (6379): every process
# has its own port and its own directory under $CLUSTER_DIR, and `down` stops only what `up` started
# (pid files) and removes that directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PY="${PY:-$ROOT/.venv/bin/python}"
HAPROXY_PORT="${HAPROXY_PORT:-18000}"
APP_PORTS=(${APP_PORTS:-18001 18002})
APP_WORKERS="${APP_WORKERS:-2}"
MONITOR_PORT="${MONITOR_PORT:-15430}"
PG_PORTS=(${PG_PORTS:-15431 15432 15433})
BOUNCER_PORTS=(${BOUNCER_PORTS:-16431 16432 16433})
REDIS_PORTS=(${REDIS_PORTS:-16379 16380})
SENTINEL_PORTS=(${SENTINEL_PORTS:-26379 26380 26381})
DBNAME="${CLUSTER_DBNAME:-gonghui}"
PGUSER_RUN=postgres

say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
as_pg() { runuser -u "$PGUSER_RUN" -- env PATH="$PGBIN:$PATH" XDG_CONFIG_HOME="$CLUSTER_DIR/pg/xdg/config" \
  XDG_DATA_HOME="$CLUSTER_DIR/pg/xdg/data" XDG_RUNTIME_DIR="$CLUSTER_DIR/pg/xdg/run" "$@"; }
monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"; }

install_packages() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  command -v pg_autoctl >/dev/null || missing+=(postgresql-15-auto-failover pg-auto-failover-cli)
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v wrk >/dev/null || missing+=(wrk)
  [ ${#missing[@]} -eq 0 ] && return
  say "安装 Debian 软件包：${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "需要 root 安装：apt-get install ${missing[*]}"; exit 1; }
  # Debian's maintainer scripts would start a default pgbouncer/sentinel/haproxy (and postgresql-common
  # may create a cluster): policy-rc.d 101 keeps every service down; existing clusters are compared after.
  local before; before="$(pg_lsclusters 2>/dev/null || true)"
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
    || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
  [ $created = 1 ] && rm -f "$policy"
  [ "$before" = "$(pg_lsclusters 2>/dev/null || true)" ] || say "注意：pg_lsclusters 在安装后有变化，请检查"
}

wait_for() {  # wait_for <seconds> <description> <command...>
  local secs=$1 what=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "等待超时：$what"; return 1
}

node_state() {  # the monitor's view of one node: primary / secondary / catchingup / …
  as_pg psql -At -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node pg_auto_failover \
    -c "select reportedstate from pgautofailover.node where nodename = '$1'" 2>/dev/null
}

wait_state() {  # wait_state <node> <state> <seconds>
  local _
  for _ in $(seq 1 $(($3 * 2))); do [ "$(node_state "$1")" = "$2" ] && return 0; sleep 0.5; done
  echo "等待超时：$1 → $2"; return 1
}

up_postgres() {
  local pg="$CLUSTER_DIR/pg"
  mkdir -p "$pg/xdg/config" "$pg/xdg/data" "$pg/xdg/run" "$pg/log"
  chown -R "$PGUSER_RUN" "$pg"
  chmod 700 "$pg/xdg/run"
  say "pg_auto_failover monitor :$MONITOR_PORT"
  as_pg pg_autoctl create monitor --pgdata "$pg/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 \
    --listen 127.0.0.1 --auth trust --no-ssl >"$pg/log/create-monitor.log" 2>&1
  # Detect a dead node within about 3 s instead of the default 20 s.
  cat >>"$pg/monitor/postgresql.conf" <<EOF
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
pgautofailover.primary_demote_timeout = 5000
EOF
  as_pg setsid pg_autoctl run --pgdata "$pg/monitor" >"$pg/log/monitor.log" 2>&1 </dev/null &
  wait_for 60 "monitor" as_pg psql -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node pg_auto_failover -c 'select 1'
  local i name
  for i in $(seq "${NODE_FROM:-0}" 2); do
    name="node$((i + 1))"
    local extra=()
    # node3 is the read replica: asynchronous, never promoted (it serves lag-tolerant reads only).
    [ $i = 2 ] && extra=(--candidate-priority 0 --replication-quorum false)
    say "PostgreSQL $name :${PG_PORTS[$i]} ${extra[*]}"
    as_pg pg_autoctl create postgres --pgdata "$pg/$name" --pgport "${PG_PORTS[$i]}" --hostname 127.0.0.1 \
      --listen 127.0.0.1 --name "$name" --dbname "$DBNAME" --auth trust --no-ssl --monitor "$(monitor_uri)" \
      "${extra[@]}" >"$pg/log/create-$name.log" 2>&1
    as_pg setsid pg_autoctl run --pgdata "$pg/$name" >"$pg/log/$name.log" 2>&1 </dev/null &
    local want=secondary; [ $i = 0 ] && want=single  # alone, then primary once node2 follows
    wait_state "$name" "$want" 180
  done
  wait_state node1 primary 60
  # Django sets no session state through PgBouncer if the server's defaults are already its own.
  as_pg psql -h 127.0.0.1 -p "${PG_PORTS[0]}" -d "$DBNAME" -qc "ALTER DATABASE \"$DBNAME\" SET timezone TO 'UTC'"
}

up_pgbouncer() {
  local dir="$CLUSTER_DIR/pgbouncer" i
  mkdir -p "$dir"
  echo '"postgres" ""' >"$dir/userlist.txt"
  for i in 0 1 2; do
    cat >"$dir/pgbouncer$i.ini" <<EOF
[databases]
$DBNAME = host=127.0.0.1 port=${PG_PORTS[$i]} dbname=$DBNAME
${DBNAME}_ro = host=127.0.0.1 port=${PG_PORTS[$i]} dbname=$DBNAME
postgres = host=127.0.0.1 port=${PG_PORTS[$i]} dbname=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${BOUNCER_PORTS[$i]}
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
reserve_pool_size = 5
server_connect_timeout = 2
server_login_retry = 1
query_wait_timeout = 10
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer$i.log
pidfile = $dir/pgbouncer$i.pid
EOF
  done
  chown -R "$PGUSER_RUN" "$dir"
  for i in 0 1 2; do
    say "PgBouncer :${BOUNCER_PORTS[$i]} → :${PG_PORTS[$i]}（transaction 模式）"
    runuser -u "$PGUSER_RUN" -- pgbouncer -d "$dir/pgbouncer$i.ini"
  done
}

up_redis() {
  local dir="$CLUSTER_DIR/redis" i
  mkdir -p "$dir"
  for i in 0 1; do
    local extra=()
    [ $i = 1 ] && extra=(--replicaof 127.0.0.1 "${REDIS_PORTS[0]}")
    say "Redis :${REDIS_PORTS[$i]} ${extra[*]}"
    mkdir -p "$dir/r$i"
    redis-server --port "${REDIS_PORTS[$i]}" --bind 127.0.0.1 --dir "$dir/r$i" --daemonize yes \
      --pidfile "$dir/redis$i.pid" --logfile "$dir/redis$i.log" --save "" --appendonly no "${extra[@]}"
  done
  for i in 0 1 2; do
    cat >"$dir/sentinel$i.conf" <<EOF
port ${SENTINEL_PORTS[$i]}
bind 127.0.0.1
daemonize yes
pidfile $dir/sentinel$i.pid
logfile $dir/sentinel$i.log
dir $dir
sentinel monitor gonghui 127.0.0.1 ${REDIS_PORTS[0]} 2
sentinel down-after-milliseconds gonghui 2000
sentinel failover-timeout gonghui 10000
sentinel parallel-syncs gonghui 1
EOF
    say "Sentinel :${SENTINEL_PORTS[$i]}"
    redis-sentinel "$dir/sentinel$i.conf"
  done
}

bouncer_admin() {  # bouncer_admin <index> <command>
  psql -h 127.0.0.1 -p "${BOUNCER_PORTS[$1]}" -U postgres -Atqc "$2" pgbouncer >/dev/null 2>&1 || true
}

follow() {
  # Keeps each node's PgBouncer honest about its node, following the pg_auto_failover monitor every half
  # second: "$DBNAME" (the read-write door) is open only on the primary's PgBouncer, "${DBNAME}_ro" on every
  # healthy node. A closed door refuses the login, so libpq's multi-host string moves on to the next host
  # instead of being welcomed by a PgBouncer whose server is down or has become a standby; the sessions
  # it had are cut (KILL), and their next query is a 503 that the client retries.
  local -A rw_open=() ro_open=()
  local i
  for i in 0 1 2; do rw_open[$i]=1; ro_open[$i]=1; done
  while :; do
    local rows
    rows="$(as_pg psql -At -h 127.0.0.1 -p "$MONITOR_PORT" -U autoctl_node pg_auto_failover -c \
      "select nodeport, reportedstate in ('primary','wait_primary','single') and health <> 0
                and goalstate in ('primary','wait_primary','single','join_primary','apply_settings'),
              reportedstate in ('primary','wait_primary','single','secondary') and health <> 0 and reportedpgisrunning
       from pgautofailover.node" 2>/dev/null)" || { sleep 0.5; continue; }
    for i in 0 1 2; do
      local row rw=f ro=f
      row="$(grep "^${PG_PORTS[$i]}|" <<<"$rows" || true)"
      [ -n "$row" ] && IFS='|' read -r _ rw ro <<<"$row"
      local want_rw=0 want_ro=0
      [ "$rw" = t ] && want_rw=1
      [ "$ro" = t ] && want_ro=1
      if [ "${rw_open[$i]}" != $want_rw ]; then
        if [ $want_rw = 1 ]; then bouncer_admin "$i" "ENABLE $DBNAME"
        else bouncer_admin "$i" "DISABLE $DBNAME"; bouncer_admin "$i" "KILL $DBNAME"; bouncer_admin "$i" "RESUME $DBNAME"; fi
        say "PgBouncer :${BOUNCER_PORTS[$i]} $DBNAME $([ $want_rw = 1 ] && echo 开放 || echo 关闭)"
        rw_open[$i]=$want_rw
      fi
      if [ "${ro_open[$i]}" != $want_ro ]; then
        if [ $want_ro = 1 ]; then bouncer_admin "$i" "ENABLE ${DBNAME}_ro"
        else bouncer_admin "$i" "DISABLE ${DBNAME}_ro"; bouncer_admin "$i" "KILL ${DBNAME}_ro"; bouncer_admin "$i" "RESUME ${DBNAME}_ro"; fi
        say "PgBouncer :${BOUNCER_PORTS[$i]} ${DBNAME}_ro $([ $want_ro = 1 ] && echo 开放 || echo 关闭)"
        ro_open[$i]=$want_ro
      fi
    done
    sleep 0.5
  done
}

up_follow() {
  say "PgBouncer 跟随 pg_auto_failover 监视器（主库切换时开关各节点的读写入口）"
  setsid "$0" _step follow >"$CLUSTER_DIR/pgbouncer/follow.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/pgbouncer/follow.pid"
}

write_env() {
  local hosts="" i
  for i in 0 1; do hosts+="${hosts:+,}127.0.0.1:${BOUNCER_PORTS[$i]}"; done
  local sentinels="" p
  for p in "${SENTINEL_PORTS[@]}"; do sentinels+="${sentinels:+,}127.0.0.1:$p"; done
  mkdir -p "$CLUSTER_DIR/shared/var" "$CLUSTER_DIR/shared/media"
  cat >"$CLUSTER_DIR/env" <<EOF
# Written by deploy/cluster.sh: what every app server of the local cluster runs with.
export DATABASE_URL='postgresql://postgres@$hosts/$DBNAME?target_session_attrs=read-write&connect_timeout=2'
export DATABASE_REPLICA_URL='postgresql://postgres@127.0.0.1:${BOUNCER_PORTS[2]},$hosts/${DBNAME}_ro?target_session_attrs=prefer-standby&connect_timeout=2'
export GONGHUI_PGBOUNCER=1
export REDIS_URL='redis://gonghui/0'
export REDIS_SENTINELS='$sentinels'
export GONGHUI_SESSION_ENGINE=cache
export GONGHUI_VAR_DIR='$CLUSTER_DIR/shared/var'
export GONGHUI_MEDIA_ROOT='$CLUSTER_DIR/shared/media'
export GONGHUI_PROXY_COUNT=2
export GONGHUI_ENV=demo
export DEBUG=0
export LOG_LEVEL=WARNING
export ALLOWED_HOSTS=127.0.0.1,localhost
export CLUSTER_HAPROXY='http://127.0.0.1:$HAPROXY_PORT'
export CLUSTER_DIR='$CLUSTER_DIR'
EOF
}

start_app() {  # start_app <index>
  local i=$1 dir="$CLUSTER_DIR/app"
  mkdir -p "$dir"
  # shellcheck disable=SC1091
  (cd "$ROOT" && . "$CLUSTER_DIR/env" && "$PY" -m gunicorn config.wsgi:application \
    --bind "127.0.0.1:${APP_PORTS[$i]}" --workers "$APP_WORKERS" --backlog 4096 --timeout 60 \
    --graceful-timeout 10 --log-level warning --pid "$dir/app$i.pid" --daemon \
    --error-logfile "$dir/app$i.log")
}

up_apps() {
  # shellcheck disable=SC1091
  . "$CLUSTER_DIR/env"
  say "迁移（只在这里运行一次，应用服务器启动时不迁移）"
  (cd "$ROOT" && "$PY" manage.py migrate --noinput -v 0)
  (cd "$ROOT" && "$PY" manage.py collectstatic --noinput -v 0) || true
  local i
  for i in "${!APP_PORTS[@]}"; do
    say "gunicorn app$((i + 1)) :${APP_PORTS[$i]}（$APP_WORKERS 个进程）"
    start_app "$i"
  done
  for i in "${!APP_PORTS[@]}"; do
    wait_for 60 "app$((i + 1))" curl -fsS "http://127.0.0.1:${APP_PORTS[$i]}/api/v1/health"
  done
}

up_haproxy() {
  local dir="$CLUSTER_DIR/haproxy" i
  mkdir -p "$dir"
  {
    cat <<EOF
global
    daemon
    maxconn 8192
    pidfile $dir/haproxy.pid
    stats socket $dir/admin.sock mode 600 level admin
defaults
    mode http
    option forwardfor
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    timeout check 5s
    # A connection refused by a dead server is tried again on the other one (the request never
    # reached an app, so replaying it cannot sell twice); grabs carry an idempotency key anyway.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend www
    bind 127.0.0.1:$HAPROXY_PORT
    default_backend apps
backend apps
    balance leastconn
    option httpchk GET /api/v1/health
    # 503 = the app is alive but its database is switching over: it stays in and answers 503 with
    # Retry-After itself. A dead app server fails the check (or its connections) and is drained.
    http-check expect rstatus ^(200|503)$
    # A busy app server may answer its check late (sync workers, 2 cores): only refused or failed checks
    # three times in a row (~3 s) take it out; connection errors seen on live traffic do so at once.
    default-server check inter 2s fastinter 1s downinter 1s fall 3 rise 2 observe layer4 error-limit 3 on-error mark-down maxconn 200
EOF
    for i in "${!APP_PORTS[@]}"; do echo "    server app$((i + 1)) 127.0.0.1:${APP_PORTS[$i]}"; done
  } >"$dir/haproxy.cfg"
  say "HAProxy :$HAPROXY_PORT → ${APP_PORTS[*]}"
  if [ -f "$dir/haproxy.pid" ]; then haproxy -f "$dir/haproxy.cfg" -sf "$(cat "$dir/haproxy.pid")"
  else haproxy -f "$dir/haproxy.cfg"; fi
}

status() {
  [ -d "$CLUSTER_DIR" ] || { echo "集群未启动（$CLUSTER_DIR 不存在）"; return 1; }
  as_pg pg_autoctl show state --pgdata "$CLUSTER_DIR/pg/monitor" 2>/dev/null || echo "monitor 不可用"
  local p
  for p in "${REDIS_PORTS[@]}"; do
    printf 'redis :%s %s\n' "$p" "$(redis-cli -p "$p" role 2>/dev/null | head -1 || echo down)"
  done
  printf 'sentinel: master %s\n' "$(redis-cli -p "${SENTINEL_PORTS[0]}" sentinel get-master-addr-by-name gonghui 2>/dev/null | tr '\n' ' ')"
  echo "show stat" | socat - "UNIX-CONNECT:$CLUSTER_DIR/haproxy/admin.sock" 2>/dev/null | cut -d, -f1,2,18 | grep -v '^#' || true
  curl -fsS "http://127.0.0.1:$HAPROXY_PORT/api/v1/health" && echo
}

kill_pidfile() {  # kill_pidfile <file> [signal]
  local f=$1 sig=${2:-TERM}
  [ -f "$f" ] || return 0
  local pid; pid="$(cat "$f" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -s "$sig" "$pid" 2>/dev/null || true
  rm -f "$f"
}

down() {
  [ -d "$CLUSTER_DIR" ] || { say "没有要停止的集群"; return 0; }
  say "停止 HAProxy、应用服务器、PgBouncer、Redis、Sentinel、PostgreSQL（只停本脚本启动的进程）"
  kill_pidfile "$CLUSTER_DIR/haproxy/haproxy.pid"
  local f
  for f in "$CLUSTER_DIR"/app/app*.pid "$CLUSTER_DIR"/pgbouncer/*.pid "$CLUSTER_DIR"/redis/*.pid; do
    [ -e "$f" ] && kill_pidfile "$f"
  done
  local d
  for d in node3 node2 node1 monitor; do
    [ -d "$CLUSTER_DIR/pg/$d" ] && as_pg pg_autoctl stop --pgdata "$CLUSTER_DIR/pg/$d" >/dev/null 2>&1 || true
  done
  for d in node3 node2 node1 monitor; do
    [ -f "$CLUSTER_DIR/pg/$d/postmaster.pid" ] && \
      wait_for 20 "$d 停止" test ! -e "$CLUSTER_DIR/pg/$d/postmaster.pid" || true
  done
  sleep 1
  rm -rf "$CLUSTER_DIR"
  say "已清除 $CLUSTER_DIR"
}

up() {
  if [ -d "$CLUSTER_DIR" ]; then echo "$CLUSTER_DIR 已存在：先运行 make cluster-down"; exit 1; fi
  install_packages
  [ -x "$PY" ] || { echo "先运行 make setup"; exit 1; }
  mkdir -p "$CLUSTER_DIR"
  local t0=$SECONDS
  up_postgres
  up_pgbouncer
  up_follow
  up_redis
  write_env
  up_apps
  up_haproxy
  wait_for 30 "HAProxy" curl -fsS "http://127.0.0.1:$HAPROXY_PORT/api/v1/health"
  say "集群已就绪（$((SECONDS - t0)) 秒）：http://127.0.0.1:$HAPROXY_PORT/  环境变量：. $CLUSTER_DIR/env"
  [ "${CLUSTER_DEMO:-0}" = 1 ] && (cd "$ROOT" && . "$CLUSTER_DIR/env" && "$PY" manage.py demo) || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  restart-app) start_app "$2" ;;
  env) cat "$CLUSTER_DIR/env" ;;
  _step) shift; "$@" ;;
  *) echo "用法：$0 up|down|status|env|restart-app <n>"; exit 2 ;;
esac
