#!/usr/bin/env bash
# A Docker engine and the public base images, made locally, for machines that reach no image
# registry (only Debian's mirror and the npm registry). Where Docker Hub answers, none of this is
# needed: the Dockerfiles and tests pull the official images.
#
#   infra/docker/local-images.sh up     engine (started if none answers) + base images; prints the
#                                       environment to use as KEY=VALUE lines on stdout (eval-able)
#   infra/docker/local-images.sh env    the environment only, for an engine already up
#   infra/docker/local-images.sh down   removes this project's leftovers and stops the engine if
#                                       `up` started it; the image cache stays for the next run
#
# Images made (same tags as the official ones, so `FROM node:20-bookworm-slim` stays standard):
#   node:20-bookworm-slim  Debian minbase + this machine's node and npm + its CA bundle, user node
#   redis:7-bookworm       Debian minbase + Debian's redis-server, user redis, /data
#   postgres:15-bookworm   Debian minbase + Debian's PostgreSQL 15 + an entrypoint that honours
#                          POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB/PGDATA like the official one
#
# Cache (outside the repo): $SLUICE_DOCKER_CACHE (default /var/cache/sluice-docker) holds the
# rootfs tarballs and the engine's data root, so a second `up` takes seconds.
# Environment: SLUICE_DOCKER_CACHE, SLUICE_DOCKER_RUN (socket/pid dir, default /run/sluice-docker),
# SLUICE_DOCKER_LOCAL_IMAGES=1 (never try to pull), DEBIAN_MIRROR (default: from apt sources).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SLUICE_DOCKER_CACHE:-/var/cache/sluice-docker}"
RUN_DIR="${SLUICE_DOCKER_RUN:-/run/sluice-docker}"
OWN_SOCK="$RUN_DIR/docker.sock"
STARTED_MARK="$RUN_DIR/started-by-script"
SUITE=bookworm
NODE_TAG=node:20-bookworm-slim
REDIS_TAG=redis:7-bookworm
POSTGRES_TAG=postgres:15-bookworm
IMPORT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'local-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- engine

engine_answers() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

need_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "needs ${missing[*]} (apt-get install as root)"
  log "installing ${missing[*]} from Debian"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Picks the engine to use: DOCKER_HOST if it answers, the default socket, else our own.
select_engine() {
  if [ -n "${DOCKER_HOST:-}" ] && engine_answers; then return 0; fi
  if [ -z "${DOCKER_HOST:-}" ] && [ -S /var/run/docker.sock ] && engine_answers; then return 0; fi
  export DOCKER_HOST="unix://$OWN_SOCK"
  engine_answers
}

start_engine() {
  [ "$(id -u)" = 0 ] || die "starting an engine needs root"
  mkdir -p "$RUN_DIR" "$CACHE/engine"
  export DOCKER_HOST="unix://$OWN_SOCK"
  log "starting dockerd on $OWN_SOCK (data root $CACHE/engine, no bridge, host networking only)"
  # No bridge and no iptables: this machine has neither, and containers use the host's network.
  setsid dockerd --bridge=none --iptables=false --ip-masq=false \
    --data-root "$CACHE/engine" --exec-root "$RUN_DIR/exec" --pidfile "$RUN_DIR/dockerd.pid" \
    --host "$DOCKER_HOST" --storage-driver overlay2 \
    >"$CACHE/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    if engine_answers; then touch "$STARTED_MARK"; return 0; fi
    kill -0 "$!" 2>/dev/null || break
    sleep 0.5
  done
  tail -20 "$CACHE/dockerd.log" >&2 || true
  die "dockerd did not answer (log: $CACHE/dockerd.log)"
}

stop_engine() {
  local pid
  pid="$(cat "$RUN_DIR/dockerd.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  log "stopping dockerd ($pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STARTED_MARK"
}

# ---------------------------------------------------------------- base images

mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri="$(grep -rhoE '^(URIs:|deb)\s+\S+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# Bump when changing how the images are made: a new stamp re-makes them, and with them the
# service images' whole build cache.
IMAGES_VERSION=1

# The cache key of every image made here: the version above, the postgres entrypoint, and the
# node, npm and CA bundle copied from this machine.
stamp() {
  { echo "$IMAGES_VERSION"; node -v; npm -v 2>/dev/null; cat "$HERE/base/postgres-entrypoint.sh" /etc/ssl/certs/ca-certificates.crt; } |
    sha256sum | cut -c1-12
}

minbase_tar() {
  local tar="$CACHE/rootfs/$SUITE-minbase.tar"
  if [ ! -s "$tar" ]; then
    local dir
    dir="$(mktemp -d "$CACHE/rootfs/minbase.XXXXXX")"
    log "debootstrap --variant=minbase $SUITE from $(mirror) (once; about 30 s)"
    debootstrap --variant=minbase "$SUITE" "$dir" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$dir" -cf "$tar.part" . && mv "$tar.part" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

# Unpacks the minbase rootfs into a fresh directory for one image.
new_rootfs() {
  local dir
  dir="$(mktemp -d "$CACHE/rootfs/work.XXXXXX")"
  chmod 0755 "$dir" # it becomes the image's /, which every user must traverse
  tar -C "$dir" -xf "$(minbase_tar)"
  echo "$dir"
}

# Runs apt-get inside a rootfs; services must not start there.
chroot_install() {
  local dir="$1"; shift
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"; chmod +x "$dir/usr/sbin/policy-rc.d"
  cp /etc/apt/apt.conf.d/99artifact-registry "$dir/etc/apt/apt.conf.d/" 2>/dev/null || true
  chroot "$dir" /usr/bin/env -i PATH="$IMPORT_PATH" DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"' sh "$@" \
    >"$CACHE/apt-$1.log" 2>&1 || { tail -20 "$CACHE/apt-$1.log" >&2; die "apt-get install $* failed"; }
  rm -f "$dir/usr/sbin/policy-rc.d"
}

# Leaves out what no container reads, to keep the images small.
trim_rootfs() {
  local dir="$1"
  chroot "$dir" apt-get clean >/dev/null 2>&1 || true
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian \
    "$dir"/var/log/* "$dir"/tmp/* "$dir"/root/.cache
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  : >"$dir/etc/resolv.conf"
}

import_rootfs() {
  local dir="$1" tag="$2"; shift 2
  local changes=(-c "ENV PATH=$IMPORT_PATH")
  for change in "$@"; do changes+=(-c "$change"); done
  tar -C "$dir" -c . | docker import "${changes[@]}" -m "made by infra/docker/local-images.sh $(stamp)" - "$tag" >/dev/null
  rm -rf "$dir"
}

make_node() {
  local dir node_bin npm_dir
  dir="$(new_rootfs)"
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  install -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  mkdir -p "$dir/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$dir/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  # The machine's CA bundle, so npm inside builds trusts what the machine trusts.
  mkdir -p "$dir/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  chroot "$dir" groupadd --gid 1000 node
  chroot "$dir" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  trim_rootfs "$dir"
  import_rootfs "$dir" "$NODE_TAG" \
    'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' 'ENV NODE_VERSION='"$(node -v | tr -d v)" \
    'CMD ["node"]'
}

make_redis() {
  local dir
  dir="$(new_rootfs)"
  chroot_install "$dir" redis-server
  mkdir -p "$dir/data" && chroot "$dir" chown redis:redis /data
  trim_rootfs "$dir"
  import_rootfs "$dir" "$REDIS_TAG" 'USER redis' 'WORKDIR /data' 'VOLUME /data' 'EXPOSE 6379' \
    'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]'
}

make_postgres() {
  local dir
  dir="$(new_rootfs)"
  mkdir -p "$dir/etc/postgresql-common"
  # The entrypoint makes the cluster at first start, as the official image does.
  echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.conf"
  chroot_install "$dir" postgresql-15
  install -m 0755 "$HERE/base/postgres-entrypoint.sh" "$dir/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$dir/var/lib/postgresql/data" "$dir/var/run/postgresql"
  chroot "$dir" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  chmod 0700 "$dir/var/lib/postgresql/data"
  trim_rootfs "$dir"
  # `docker import` takes no STOPSIGNAL: compose sets stop_signal SIGINT (fast shutdown) instead.
  import_rootfs "$dir" "$POSTGRES_TAG" 'USER postgres' \
    "ENV PATH=/usr/lib/postgresql/15/bin:$IMPORT_PATH" 'ENV PGDATA=/var/lib/postgresql/data' \
    'VOLUME /var/lib/postgresql/data' 'EXPOSE 5432' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
}

# An image is current when it exists and was made by this version of the script (or pulled).
image_current() {
  local comment
  comment="$(docker image inspect --format '{{.Comment}}' "$1" 2>/dev/null)" || return 1
  case "$comment" in
    "made by infra/docker/local-images.sh "*) [ "$comment" = "made by infra/docker/local-images.sh $(stamp)" ] ;;
    *) return 0 ;; # an official (pulled) image
  esac
}

ensure_images() {
  mkdir -p "$CACHE/rootfs"
  rm -rf "$CACHE"/rootfs/work.* "$CACHE"/rootfs/minbase.*
  local tag pulled=0
  for tag in "$NODE_TAG" "$REDIS_TAG" "$POSTGRES_TAG"; do
    image_current "$tag" && continue
    if [ "${SLUICE_DOCKER_LOCAL_IMAGES:-}" != 1 ] && timeout 120 docker pull -q "$tag" >/dev/null 2>&1; then
      pulled=1; continue
    fi
    [ "$pulled" = 1 ] && die "pulled one image but not $tag"
    export SLUICE_DOCKER_LOCAL_IMAGES=1 # no registry: don't try again for the next ones
    [ "$(id -u)" = 0 ] || die "making $tag needs root (debootstrap, chroot)"
    local started=$SECONDS old
    old="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
    case "$tag" in
      "$NODE_TAG") make_node ;;
      "$REDIS_TAG") make_redis ;;
      "$POSTGRES_TAG") make_postgres ;;
    esac
    log "made $tag in $((SECONDS - started)) s"
    # The version it replaces, unless images built on it still need it.
    [ -n "$old" ] && docker rmi "$old" >/dev/null 2>&1 || true
  done
}

print_env() {
  echo "DOCKER_HOST=$DOCKER_HOST"
  # No bridge network (an engine like ours): containers and testcontainers use the host network.
  if ! docker network inspect bridge >/dev/null 2>&1; then
    echo "SLUICE_DOCKER_HOST_NETWORK=1"
    echo "TESTCONTAINERS_RYUK_DISABLED=true"
    echo "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
  fi
  echo "DOCKER_BUILDKIT=0"
}

case "${1:-}" in
  up)
    need_packages
    select_engine || start_engine
    ensure_images
    print_env
    ;;
  env)
    select_engine || die "no engine answers (run: $0 up)"
    print_env
    ;;
  down)
    export DOCKER_HOST="unix://$OWN_SOCK"
    if [ -f "$STARTED_MARK" ] && engine_answers; then
      # Our own engine: nothing in it outlives a run but the images.
      ids="$(docker ps -aq)"
      [ -n "$ids" ] && docker rm -f $ids >/dev/null
      docker volume prune -f >/dev/null || true
      # Untagged images are the build cache of the service images' earlier stages: keep the
      # recent ones, drop those unused for three days so the cache does not grow without end.
      docker image prune -f --filter until=72h >/dev/null || true
      stop_engine
    elif [ -f "$STARTED_MARK" ]; then
      stop_engine
    else
      log "no engine started by this script is running"
    fi
    ;;
  *)
    echo "usage: $0 up|env|down" >&2
    exit 2
    ;;
esac
