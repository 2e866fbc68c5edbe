-- The database's two roles (docs/design.md, Shape of the software; README, Production).
-- Run by a superuser in the app's database, with psql variables db, owner, app,
-- owner_password and app_password (deploy/postgres/init-roles.sh sets them).
--
-- The owner runs the migrations and owns every table. The app (web, worker, beat) reads and
-- writes rows, and nothing more: it owns nothing, so it cannot alter a table or switch its
-- triggers off, is no superuser, so it cannot set session_replication_role, and migration
-- rota 0008 leaves it only SELECT and INSERT on the audit trail.
\set ON_ERROR_STOP on

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    NOINHERIT PASSWORD :'app_password';

ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
-- The rota's exclusion constraints need btree_gist; made here, so the owner need not be
-- trusted with extensions.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Since PostgreSQL 15 the public schema belongs to the database's owner; the app only uses it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Every table and sequence the owner's migrations make, now and later.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
