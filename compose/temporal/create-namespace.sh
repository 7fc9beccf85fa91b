#!/bin/sh
# Waits until `temporal operator cluster health` answers SERVING, then makes sure the namespace the
# jars use exists (the plain server image creates none). Idempotent: an existing namespace is kept.
set -eu
ns=${D2C_TEMPORAL_NAMESPACE:-d2c}
addr=${TEMPORAL_ADDRESS:-temporal:7233}
i=0
until temporal operator cluster health --address "$addr"; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "temporal at $addr not healthy after 60 tries" >&2; exit 1; }
  sleep 5
done
if temporal operator namespace describe --namespace "$ns" --address "$addr" >/dev/null 2>&1; then
  echo "namespace $ns exists"
else
  temporal operator namespace create --namespace "$ns" --retention "${D2C_TEMPORAL_RETENTION:-720h}" --address "$addr"
  echo "namespace $ns created"
fi
