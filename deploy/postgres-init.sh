#!/bin/sh
# Run by the postgres image once, when its data volume is first created: the sent journal's own
# role and database (shared by every worker host), beside Temporal's two and apart from them. The
# worker connects as this role (DATABASE_URL_FILE), never as Temporal's owner, so it can neither
# read nor change workflow histories.
set -eu
password="$(cat /run/secrets/journal_db_password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres --set=pw="$password" <<'SQL'
CREATE ROLE rect_journal LOGIN PASSWORD :'pw';
CREATE DATABASE rect OWNER rect_journal;
REVOKE ALL ON DATABASE rect FROM PUBLIC;
SQL
