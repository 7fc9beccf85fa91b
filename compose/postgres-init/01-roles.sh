#!/bin/sh
# Runs once, as the superuser, when the data volume is new. Three roles, none a superuser:
#   $D2C_DB_USER   owns the d2c database (the api's Flyway migrations and every jar connect as it)
#   d2c_grafana    SELECT only, on what that owner creates
#   temporal       CREATEDB, for Temporal's own two databases (compose's temporal-schema job)
# Passwords reach SQL as psql variables (:'name' quotes a literal, :"name" an identifier), never
# pasted into the SQL text, so any character in them is safe; the heredoc is quoted for the same
# reason (the shell expands nothing in it).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_user="${D2C_DB_USER:?}" -v app_password="${D2C_DB_PASSWORD:?}" \
  -v grafana_password="${D2C_GRAFANA_DB_PASSWORD:?}" -v temporal_password="${D2C_TEMPORAL_DB_PASSWORD:?}" <<'SQL'
CREATE ROLE :"app_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE d2c OWNER TO :"app_user";
CREATE ROLE d2c_grafana LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'grafana_password';
CREATE ROLE temporal LOGIN NOSUPERUSER CREATEDB NOCREATEROLE PASSWORD :'temporal_password';
\connect d2c
ALTER SCHEMA public OWNER TO :"app_user";
GRANT CONNECT ON DATABASE d2c TO d2c_grafana;
GRANT USAGE ON SCHEMA public TO d2c_grafana;
ALTER DEFAULT PRIVILEGES FOR ROLE :"app_user" IN SCHEMA public GRANT SELECT ON TABLES TO d2c_grafana;
SQL
