#!/bin/sh
# A read-only role for Grafana: SELECT on the tables the d2c user creates (Flyway runs later, in the api).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname d2c <<SQL
CREATE ROLE d2c_grafana LOGIN PASSWORD '${D2C_GRAFANA_DB_PASSWORD}';
GRANT CONNECT ON DATABASE d2c TO d2c_grafana;
GRANT USAGE ON SCHEMA public TO d2c_grafana;
ALTER DEFAULT PRIVILEGES FOR ROLE "$POSTGRES_USER" IN SCHEMA public GRANT SELECT ON TABLES TO d2c_grafana;
SQL
