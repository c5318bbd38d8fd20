#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas to the version of the
# admin-tools image (run by the `temporal-schema` service, before the server starts). Run again,
# or after an upgrade of the images, it only applies the schema versions that are missing.
# Any other failure stops it, and the server does not start.
set -eu
# The password from a Docker secret (SQL_PASSWORD_FILE), or as SQL_PASSWORD.
if [ -n "${SQL_PASSWORD_FILE:-}" ]; then SQL_PASSWORD="$(cat "$SQL_PASSWORD_FILE")"; export SQL_PASSWORD; fi
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT="${DB_PORT:-5432}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"; }

until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT"; sleep 2; done

for db in temporal temporal_visibility; do
  case "$db" in temporal) dir=temporal ;; *) dir=visibility ;; esac
  if out="$(sql --db "$db" create 2>&1)"; then
    echo "created database $db"
    sql --db "$db" setup-schema -v 0.0
  elif printf '%s' "$out" | grep -q 'already exists'; then
    echo "database $db exists"
  else
    printf '%s\n' "$out" >&2
    exit 1
  fi
  sql --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
echo 'Temporal schemas are up to date'
