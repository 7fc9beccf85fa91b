#!/bin/sh
# Temporal's schema, the upstream way since the auto-setup image stopped getting releases: the
# admin-tools image of the same release as the server creates the two databases and applies the
# versioned schema. Run on every `up`: setup-schema keeps a newer version, update-schema applies only
# what is missing, so a server upgrade is: change both tags, `up` again.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
export SQL_PASSWORD="$POSTGRES_PWD"
sql() { temporal-sql-tool --plugin "${DB:-postgres12}" --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"; }
for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=/etc/temporal/schema/postgresql/v12/${db#*:}/versioned
  # "create" fails when the database exists (a second `up`); a real connection or auth problem
  # fails the setup-schema right after it, with its own message.
  sql --db "$name" create || echo "database $name exists"
  sql --db "$name" setup-schema -v 0.0
  sql --db "$name" update-schema -d "$dir"
done
echo "temporal schema ready"
