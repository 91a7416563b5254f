#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# Creates, with passwords from the environment (deploy/.env), never from this file:
# - role DB_USER owning database DB_NAME: Rasa's tracker store, the SMS state tables;
# - role REVIEW_DB_USER owning database REVIEW_DB_NAME (the review app's own tables),
#   allowed only to READ the tracker database.
set -eu
: "${DB_USER:?}" "${DB_PASSWORD:?}" "${DB_NAME:?}" "${REVIEW_DB_USER:?}" "${REVIEW_DB_PASSWORD:?}" "${REVIEW_DB_NAME:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db_user="$DB_USER" -v db_password="$DB_PASSWORD" -v db_name="$DB_NAME" \
  -v review_user="$REVIEW_DB_USER" -v review_password="$REVIEW_DB_PASSWORD" -v review_db="$REVIEW_DB_NAME" <<'SQL'
CREATE ROLE :"db_user" LOGIN PASSWORD :'db_password';
CREATE DATABASE :"db_name" OWNER :"db_user";
CREATE ROLE :"review_user" LOGIN PASSWORD :'review_password';
CREATE DATABASE :"review_db" OWNER :"review_user";
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
REVOKE ALL ON DATABASE :"review_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db_name" TO :"review_user";
\connect :"db_name"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"review_user";
-- Tables Rasa creates later are readable (only) by the review app.
ALTER DEFAULT PRIVILEGES FOR ROLE :"db_user" IN SCHEMA public GRANT SELECT ON TABLES TO :"review_user";
GRANT CREATE ON SCHEMA public TO :"db_user";
SQL
