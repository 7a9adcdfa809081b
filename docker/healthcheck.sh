#!/bin/bash
# The image's HEALTHCHECK: GET /health/ready on the metrics port; healthy only on HTTP 200.
# bash's /dev/tcp needs no curl (slim bases lack it) and no second JVM every interval.
# A command without a metrics port (tail, or SEGSTREAM_METRICS_PORT emptied) has nothing to check.
set -u
port="${SEGSTREAM_METRICS_PORT:-}"
if [[ -z "$port" ]]; then
  echo "no SEGSTREAM_METRICS_PORT: no health endpoint to check"
  exit 0
fi
# inside the container's own network namespace loopback always reaches the server, whichever
# address it binds (0.0.0.0 or 127.0.0.1)
if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  echo "nothing listens on port $port yet"
  exit 1
fi
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || { echo "no answer from /health/ready on port $port"; exit 1; }
IFS= read -r -t 4 -d '' rest <&3 || true
exec 3<&-
body="${rest#*$'\r\n\r\n'}"
echo "${status%$'\r'}: ${body%$'\n'}"
[[ "$status" == "HTTP/1."?" 200 "* ]]
