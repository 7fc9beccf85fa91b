#!/bin/sh
# SeaweedFS in one process (master, volume, filer, S3 gateway on 8333) with one S3 identity whose
# keys come from the environment (compose/.env), written to a config file only this container reads.
# The keys go into JSON unescaped, so they are limited to characters that need no escaping.
set -eu
: "${S3_ACCESS_KEY:?}" "${S3_SECRET_KEY:?}"
case "$S3_ACCESS_KEY$S3_SECRET_KEY" in
  *[!A-Za-z0-9+/=._-]*) echo "D2C_S3_ACCESS_KEY/D2C_S3_SECRET_KEY: use only A-Z a-z 0-9 + / = . _ -" >&2; exit 2 ;;
esac
umask 077
cat > /tmp/s3.json <<JSON
{"identities": [{"name": "d2c",
  "credentials": [{"accessKey": "$S3_ACCESS_KEY", "secretKey": "$S3_SECRET_KEY"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
JSON
exec weed server -dir=/data -volume.max=0 -master.volumeSizeLimitMB=1024 \
  -s3 -s3.port=8333 -s3.config=/tmp/s3.json
