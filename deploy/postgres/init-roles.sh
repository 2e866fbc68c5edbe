#!/usr/bin/env bash
# Run once by the postgres image when its data volume is new (/docker-entrypoint-initdb.d),
# as the superuser, in POSTGRES_DB: makes the owner and app roles of roles.sql.
# Role names default to care_circles_owner and care_circles_app; the passwords are required.
set -euo pipefail
# docker-compose.yml mounts roles.sql at /care-circles/; elsewhere it lies beside this script.
sql=/care-circles/roles.sql
[ -f "$sql" ] || sql="$(dirname "${BASH_SOURCE[0]}")/roles.sql"
psql --no-psqlrc --set ON_ERROR_STOP=1 \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:?}" \
  --set db="$POSTGRES_DB" \
  --set owner="${POSTGRES_OWNER_USER:-care_circles_owner}" \
  --set app="${POSTGRES_APP_USER:-care_circles_app}" \
  --set owner_password="${POSTGRES_OWNER_PASSWORD:?set POSTGRES_OWNER_PASSWORD}" \
  --set app_password="${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}" \
  --file "$sql"
