#!/bin/sh
# Usage: compose/gpu-workers.sh N
# Rewrites, in place, the GPU worker services of docker-compose.yml (worker-gpu0 .. worker-gpu<N-1>,
# each reserving exactly its GPU by device_ids) and the matching worker targets of
# prometheus/prometheus.yml: the blocks between the ">>> gpu workers" and "<<< gpu workers" lines.
# `--scale` cannot do this: replicas of one service share one reservation, so they all land on GPU 0.
set -eu
n=${1:?usage: $0 N (number of GPUs on this host)}
case "$n" in '' | *[!0-9]* | 0) echo "N must be a positive integer" >&2; exit 2 ;; esac
dir=$(cd "$(dirname "$0")" && pwd)

services() {
  i=0
  while [ "$i" -lt "$n" ]; do
    [ "$i" -eq 0 ] || echo
    cat <<YAML
  worker-gpu$i:
    <<: *worker
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              device_ids: ["$i"]
              capabilities: [gpu]
YAML
    i=$((i + 1))
  done
}

targets() {
  i=0
  while [ "$i" -lt "$n" ]; do
    echo "          - worker-gpu$i:9464"
    i=$((i + 1))
  done
}

# replace the lines strictly between the markers of $1 by the output of $2
splice() {
  file=$1
  tmp=$(mktemp)
  "$2" > "$tmp.body"
  awk -v body="$tmp.body" -v n="$n" '
    /# >>> gpu workers/ { sub(/gpu-workers\.sh [0-9]+/, "gpu-workers.sh " n); print;
                          while ((getline line < body) > 0) print line; skip = 1; next }
    /# <<< gpu workers/ { skip = 0 }
    !skip { print }' "$file" > "$tmp"
  grep -q '# <<< gpu workers' "$tmp" || { echo "$file: gpu workers markers missing" >&2; exit 1; }
  cat "$tmp" > "$file"
  rm -f "$tmp" "$tmp.body"
}

splice "$dir/docker-compose.yml" services
splice "$dir/prometheus/prometheus.yml" targets
echo "compose: $n GPU workers (worker-gpu0 .. worker-gpu$((n - 1)))"
