#!/usr/bin/env bash
# Builds the images CI runs, with podman and without any image registry, and reuses them while their
# inputs are unchanged (each tag carries a hash of its inputs):
#   docker/podman-images.sh base       a Debian 12 base with a headless JRE 17, made with debootstrap
#                                      from the Debian mirror apt uses (stands in for eclipse-temurin)
#   docker/podman-images.sh segstream  docker/Dockerfile's runtime stage on that base, with the jar
#                                      and lib/ of target/ (run `mvn -DskipTests package` first)
#   docker/podman-images.sh kafka      Apache Kafka's broker (docker/kafka/Dockerfile) on that image,
#                                      the compose test's stand-in for apache/kafka
# Prints the image name on the last line of stdout; progress goes to stderr.
# Podman settings for this machine kind come from docker/podman/containers.conf (see there).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/docker/podman/containers.conf}"

log() { echo "podman-images: $*" >&2; }

# The first Debian mirror apt is configured with (deb822 sources or a classic sources.list), unless
# SEGSTREAM_DEBIAN_MIRROR names one.
debian_mirror() {
  if [[ -n "${SEGSTREAM_DEBIAN_MIRROR:-}" ]]; then
    echo "$SEGSTREAM_DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}')
  if [[ -z "$uri" ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" && $2 !~ /^\[/ && $2 ~ /\/debian\/?$/ {print $2; exit}')
  fi
  if [[ -z "$uri" ]]; then
    log "no Debian mirror in /etc/apt/sources.list{,.d}: set SEGSTREAM_DEBIAN_MIRROR (e.g. http://deb.debian.org/debian)"
    exit 2
  fi
  echo "$uri"
}

base() {
  local suite=bookworm packages=openjdk-17-jre-headless mirror key image dir
  mirror=$(debian_mirror)
  key=$(printf 'debootstrap minbase %s %s %s v1' "$suite" "$packages" "$mirror" | sha256sum | cut -c1-12)
  image="localhost/segstream-base:$key"
  if podman image exists "$image"; then
    log "reusing $image"
  else
    command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 2; }
    dir=$(mktemp -d /var/tmp/segstream-base.XXXXXX)
    trap 'rm -rf "$dir"' EXIT
    log "debootstrap $suite ($packages) from $mirror"
    local begin=$SECONDS
    debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 \
      || { tail -20 "$dir.log" >&2; log "debootstrap failed (log above)"; exit 1; }
    rm -f "$dir.log"
    tar -C "$dir" -c . | podman import --quiet - "$image" >/dev/null
    rm -rf "$dir"
    trap - EXIT
    log "made $image in $((SECONDS - begin)) s"
  fi
  echo "$image"
}

segstream() {
  local base_image jar=target/segstream.jar key image
  [[ -f "$jar" && -d target/lib ]] || { log "$jar or target/lib is missing: run 'mvn -DskipTests package' first"; exit 2; }
  base_image=$(base | tail -1)
  key=$( {
    podman image inspect --format '{{.Id}}' "$base_image"
    sha256sum docker/Dockerfile docker/healthcheck.sh .dockerignore "$jar"
    (cd target/lib && find . -type f -printf '%p %s\n' | sort)
  } | sha256sum | cut -c1-12)
  image="localhost/segstream:ci-$key"
  if podman image exists "$image"; then
    log "reusing $image"
  else
    log "building $image from docker/Dockerfile (target runtime) on $base_image with target/"
    local begin=$SECONDS
    # --format docker keeps HEALTHCHECK (OCI images have no such field); --network host lets the
    # RUN steps reach the Debian mirror
    podman build --format docker --network host -f docker/Dockerfile --target runtime \
      --build-arg RUNTIME_IMAGE="$base_image" --build-context dist=target \
      --tag "$image" . >&2
    log "built $image in $((SECONDS - begin)) s"
  fi
  echo "$image"
}

kafka() {
  local segstream_image key image
  segstream_image=$(segstream | tail -1)
  key=$( {
    podman image inspect --format '{{.Id}}' "$segstream_image"
    sha256sum docker/kafka/*
  } | sha256sum | cut -c1-12)
  image="localhost/segstream-kafka:ci-$key"
  if podman image exists "$image"; then
    log "reusing $image"
  else
    log "building $image from docker/kafka/Dockerfile on $segstream_image"
    local begin=$SECONDS
    podman build --format docker -f docker/kafka/Dockerfile --build-arg SEGSTREAM_IMAGE="$segstream_image" \
      --tag "$image" docker/kafka >&2
    log "built $image in $((SECONDS - begin)) s"
  fi
  echo "$image"
}

case "${1:-}" in
  base) base ;;
  segstream) segstream ;;
  kafka) kafka ;;
  *) echo "usage: $0 base|segstream|kafka" >&2; exit 2 ;;
esac
