#!/bin/sh
# A 3-master, 3-replica Redis Cluster from the local redis-server, on loopback ports.
#
#   start-cluster.sh start DIR [BASE_PORT]   nodes on BASE_PORT..BASE_PORT+5 (default 7000), data
#                                            and pid files under DIR; prints REDIS_CLUSTER_NODES=...
#   start-cluster.sh stop DIR                stops the nodes whose pid files are under DIR
#
# Exit code 3: this redis-server or redis-cli cannot run a cluster (the caller skips, saying why).
set -eu

command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [BASE_PORT]" >&2; exit 2; }

stop_nodes() {
  pids=""
  for pidfile in "$dir"/node-*/redis.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null && pids="$pids $pid"
  done
  # Wait (up to 10 s) for them to exit, so the caller can remove DIR.
  for pid in $pids; do
    tries=0
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 100 ]; do
      tries=$((tries + 1))
      sleep 0.1
    done
  done
}

if [ "$command" = stop ]; then
  stop_nodes
  exit 0
fi
[ "$command" = start ] || { echo "unknown command: $command" >&2; exit 2; }

base="${3:-7000}"
for tool in redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "no $tool on PATH" >&2; exit 3; }
done
# `redis-cli --cluster create` arrived with Redis 5.
major="$(redis-server --version | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')"
[ "${major:-0}" -ge 5 ] || { echo "redis-server ${major:-?}.x is older than 5: no redis-cli --cluster" >&2; exit 3; }

mkdir -p "$dir"
nodes=""
for i in 0 1 2 3 4 5; do
  port=$((base + i))
  node="$dir/node-$port"
  mkdir -p "$node"
  # A short node timeout so a killed master is replaced within seconds (tests kill one).
  if ! redis-server --port "$port" --bind 127.0.0.1 --dir "$node" --daemonize yes \
      --pidfile "$node/redis.pid" --logfile "$node/redis.log" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --appendonly no --save ''; then
    stop_nodes
    echo "redis-server refused cluster mode (see $node/redis.log)" >&2
    exit 3
  fi
  nodes="$nodes 127.0.0.1:$port"
done

for port in $nodes; do
  tries=0
  until redis-cli -h 127.0.0.1 -p "${port#127.0.0.1:}" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { stop_nodes; echo "node $port did not answer" >&2; exit 1; }
    sleep 0.1
  done
done

# shellcheck disable=SC2086 # one argument per node
redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 || {
  stop_nodes
  cat "$dir/create.log" >&2
  exit 1
}

# Every node must agree the cluster is up (slots covered, replicas attached) before use.
for port in $nodes; do
  tries=0
  until redis-cli -h 127.0.0.1 -p "${port#127.0.0.1:}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || { stop_nodes; echo "cluster did not reach state ok" >&2; exit 1; }
    sleep 0.1
  done
done

echo "REDIS_CLUSTER_NODES=$(echo $nodes | tr ' ' ',')"
