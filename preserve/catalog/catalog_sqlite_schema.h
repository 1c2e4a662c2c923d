/*
 * preserve/catalog/catalog_sqlite_schema.h - the catalog's schema in SQLite's
 * DDL (INTEGER PRIMARY KEY ids, WITHOUT ROWID, RAISE triggers), one step per
 * version; only catalog_sqlite.c includes it. Steps are append-only: a new
 * version adds a step, never edits one. Another backend writes the same
 * tables, columns and constraints in its own DDL, step for step.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_SQLITE_SCHEMA_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_SQLITE_SCHEMA_H

static const char *const catalog_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE policies(id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE NOT NULL,"
	" name TEXT, version TEXT, text TEXT NOT NULL, first_in_force TEXT NOT NULL);"
	"CREATE TABLE locations(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	" type TEXT NOT NULL, location TEXT NOT NULL, region TEXT, threat TEXT,"
	" media TEXT);"
	"CREATE TABLE objects(id INTEGER PRIMARY KEY, ident TEXT UNIQUE NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE versions(id INTEGER PRIMARY KEY,"
	" object_id INTEGER NOT NULL REFERENCES objects(id), number INTEGER NOT NULL,"
	" created TEXT NOT NULL, source TEXT, files INTEGER NOT NULL,"
	" bytes INTEGER NOT NULL, bag_info TEXT, UNIQUE(object_id, number));"
	"CREATE TABLE files(id INTEGER PRIMARY KEY,"
	" version_id INTEGER NOT NULL REFERENCES versions(id), path TEXT NOT NULL,"
	" size INTEGER NOT NULL, md5 TEXT, sha1 TEXT, sha224 TEXT, sha256 TEXT,"
	" sha384 TEXT, sha512 TEXT, blake2b512 TEXT, puid TEXT, format_name TEXT,"
	" format_version TEXT, mime TEXT, basis TEXT, UNIQUE(version_id, path));"
	"CREATE INDEX files_puid ON files(puid);"
	"CREATE TABLE copies(id INTEGER PRIMARY KEY,"
	" version_id INTEGER NOT NULL REFERENCES versions(id),"
	" location_id INTEGER NOT NULL REFERENCES locations(id),"
	" status TEXT NOT NULL, created TEXT NOT NULL, last_verified TEXT,"
	" UNIQUE(version_id, location_id));"
	"CREATE INDEX copies_due ON copies(last_verified);"
	"CREATE TABLE file_checks(file_id INTEGER NOT NULL REFERENCES files(id),"
	" copy_id INTEGER NOT NULL REFERENCES copies(id), last_verified TEXT,"
	" state TEXT, PRIMARY KEY(copy_id, file_id)) WITHOUT ROWID;"
	"CREATE INDEX file_checks_due ON file_checks(last_verified);"
	"CREATE TABLE audit_runs(id INTEGER PRIMARY KEY, started TEXT NOT NULL,"
	" ended TEXT, files INTEGER, bytes INTEGER, findings INTEGER,"
	" budget_reached INTEGER, summary TEXT);"
	"CREATE TABLE ingests(txid TEXT PRIMARY KEY, object TEXT NOT NULL,"
	" version INTEGER NOT NULL, state TEXT NOT NULL, started TEXT NOT NULL);"
	"CREATE TABLE events(id INTEGER PRIMARY KEY, uuid TEXT UNIQUE NOT NULL,"
	" type TEXT NOT NULL, datetime TEXT NOT NULL, outcome TEXT NOT NULL,"
	" object TEXT, version INTEGER, location TEXT, record TEXT NOT NULL,"
	" prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX events_object ON events(object, id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
	/* 2: audit cycles. A copy's files are all verified once per cycle
	 * (copies.cycle); file_checks.cycle says in which cycle a file was
	 * last verified, so an interrupted or budget-limited audit resumes. */
	"ALTER TABLE copies ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE file_checks ADD COLUMN cycle INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX copies_status ON copies(status, last_verified);",
};

#endif
