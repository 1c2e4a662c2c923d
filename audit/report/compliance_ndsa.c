/*
 * audit/report/compliance_ndsa.c - NDSA Levels of Digital Preservation 2.0
 * (standards.md 1.2) computed from the catalog: every cell is "met" or
 * "n/a" only with cited evidence (counts, event identifiers), "not met"
 * when the records show otherwise or are absent, and "needs attestation"
 * when only a person can state it (custos keeps no attestation records,
 * so such cells never count as met). M1b and I2c rest on the event log
 * mirrored into the locations and on the catalog backups ("cre" events). level(area) = the highest L whose
 * cells 1..L are all met or n/a; overall = the minimum over the areas.
 */
#include "audit/report/report_int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "preserve/catalog/catalog_compliance.h"
#include "preserve/catalog/catalog_report_events.h"
#include "preserve/policy/policy_ndsa.h"
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo.h"

#define MET "met"
#define NOT "not met"
#define NA "n/a"
#define ATTEST "needs attestation"

struct facts {
	int64_t versions, copies2, copies3_regions, threats2, media2, threats3;
	int64_t locations, no_media, lack_mes, lack_fix, lack_ing, lack_for;
	int64_t val, vir, fix_fail, unresolved, runs, no_agent, files, unidentified;
	int64_t at_risk, migrations, lack_info, events, storage_max;
	int64_t fresh, file_copies, fix_all, copies, no_copy, by_audit;
	int64_t backups, after_backup, log_locations, log_whole;
};

/* How many locations hold the mirrored event log up to the catalog's last
 * event (preserve/repo/logmirror.h): the inventory kept beside each copy. */
static void mirrored_log(struct repo *r, struct facts *f)
{
	for (size_t i = 0; i < repo_location_count(r); i++) {
		struct repo_log_head h;
		struct custos_err ignored;

		f->log_locations++;
		if (repo_log_newest_head(repo_location(r, i), &h, &ignored) == 0 &&
		    h.size >= f->events && f->events > 0)
			f->log_whole++;
	}
}

static int lacking_info(struct repo *r, int64_t *out, struct custos_err *err)
{
	*out = 0;
	for (size_t i = 0; i < repo_policy(r)->nrequired_info; i++) {
		int64_t n;

		if (catalog_versions_lacking_info(repo_catalog(r), repo_policy(r)->required_info[i],
						  &n, err) < 0)
			return -1;
		*out += n;
	}
	return 0;
}

static int gather(struct repo *r, json_t *rep, struct facts *f, struct custos_err *err)
{
	struct catalog *c = repo_catalog(r);
	struct catalog_copy_spread s;
	struct catalog_event_tally t;

	memset(f, 0, sizeof(*f));
	f->versions = rjson_int(rep, "holdings/versions");
	f->files = rjson_int(rep, "holdings/files");
	f->fresh = rjson_int(rep, "coverage/verified_within_interval");
	f->file_copies = rjson_int(rep, "coverage/file_copies");
	f->by_audit = rjson_int(rep, "coverage/verified_by_audit");
	f->unidentified = rjson_int(rep, "formats/unidentified_files");
	f->at_risk = rjson_int(rep, "formats/at_risk_files");
	f->events = rjson_int(rep, "log/events");
	f->storage_max = policy_ndsa_storage_max(repo_policy(r));
	f->copies = rjson_int(rep, "holdings/copies");
	struct catalog_backup_facts bf;

	if (catalog_backup_facts(c, &bf, err) < 0)
		return -1;
	f->backups = bf.backups;
	f->after_backup = bf.versions_after_last;
	mirrored_log(r, f);
	if (catalog_copy_spread(c, &s, err) < 0 ||
	    catalog_versions_lacking_event(c, "mes", &f->lack_mes, err) < 0 ||
	    catalog_versions_lacking_event(c, "fix", &f->lack_fix, err) < 0 ||
	    catalog_versions_lacking_event(c, "ing", &f->lack_ing, err) < 0 ||
	    catalog_versions_lacking_event(c, "for", &f->lack_for, err) < 0 ||
	    catalog_event_tally(c, &t, err) < 0)
		return -1;
	f->copies2 = s.with_2_copies;
	f->copies3_regions = s.with_3_copies_2_regions;
	f->threats2 = s.spanning_2_threats;
	f->media2 = s.spanning_2_media;
	f->threats3 = s.with_3_copies_3_threats;
	f->locations = s.locations;
	f->no_copy = s.without_copy;
	f->no_media = s.locations_without_media;
	f->val = t.deposits_validated;
	f->vir = t.virus_checks;
	f->fix_all = t.fixity_checks;
	f->fix_fail = t.fixity_failed;
	f->unresolved = t.fixity_unresolved;
	f->runs = t.audit_runs_completed;
	f->no_agent = t.without_agent;
	f->migrations = t.migrations;
	return lacking_info(r, &f->lack_info, err);
}

static int add_id(void *arg, const char *uuid)
{
	return json_array_append_new(arg, rjson_str(uuid)) != 0;
}

/* Up to 5 identifiers of events of TYPE with OUTCOME (NULL: any). */
static json_t *ids(struct repo *r, const char *type, const char *outcome)
{
	struct custos_err err;
	json_t *out = json_array();

	if (out)
		catalog_report_event_ids(repo_catalog(r), type, outcome, 5, add_id, out, &err);
	return out;
}

/* Add cell ID (of the NDSA list) with STATUS and its evidence; MISSING
 * says what would meet it, kept only when it is not met. */
static void cell(json_t *cells, const char *id, const char *status, json_t *evidence,
		 const char *missing)
{
	const struct policy_ndsa_cell *d = policy_ndsa_cell(id);

	assert(d);
	json_array_append_new(cells, json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:s?}",
		"cell", d->id, "level", d->level, "kind", d->kind, "status", status,
		"requirement", d->requirement, "evidence", evidence ? evidence : json_object(),
		"missing", strcmp(status, MET) && strcmp(status, NA) ? missing : NULL));
}

#define ALL(n, of) ((of) > 0 && (n) == (of))

static json_t *storage(struct repo *r, const struct facts *f)
{
	json_t *c = json_array();
	int64_t v = f->versions;

	(void)r;
	cell(c, "S1a", ALL(f->copies2, v) && f->storage_max >= 1 ? MET : NOT,
	     json_pack("{s:I, s:I, s:I}", "versions", (json_int_t)v, "versions_with_2_ok_copies",
		       (json_int_t)f->copies2, "declared_storage_level_max", (json_int_t)f->storage_max),
	     f->storage_max < 1 ? "the policy's locations are not declared as separate places "
	     "(see custos policy check)" : "every version needs two verified copies");
	cell(c, "S1b", f->locations && !f->no_media ? MET : NOT,
	     json_pack("{s:I, s:I}", "locations", (json_int_t)f->locations,
		       "locations_without_media", (json_int_t)f->no_media),
	     "declare media for every location");
	cell(c, "S1c", ATTEST, NULL,
	     "a person must attest that the storage is stable (not removable media)");
	cell(c, "S2a", ALL(f->copies3_regions, v) ? MET : NOT,
	     json_pack("{s:I, s:I}", "versions", (json_int_t)v,
		       "versions_with_3_ok_copies_in_2_regions", (json_int_t)f->copies3_regions),
	     "three verified copies per version spanning two declared regions");
	cell(c, "S2b", ATTEST, NULL,
	     "a written, attested storage-dependency document");
	cell(c, "S3a", ALL(f->threats2, v) ? MET : NOT,
	     json_pack("{s:I, s:I}", "versions", (json_int_t)v,
		       "versions_spanning_2_threats", (json_int_t)f->threats2),
	     "verified copies under two declared disaster-threat zones");
	cell(c, "S3b", ALL(f->media2, v) ? MET : NOT,
	     json_pack("{s:I, s:I}", "versions", (json_int_t)v,
		       "versions_spanning_2_media", (json_int_t)f->media2),
	     "verified copies on two declared media types");
	cell(c, "S3c", ATTEST, NULL,
	     "end-of-support dates of storage, reviewed (not recorded by custos)");
	cell(c, "S4a", ALL(f->threats3, v) ? MET : NOT,
	     json_pack("{s:I, s:I}", "versions", (json_int_t)v,
		       "versions_spanning_3_threats", (json_int_t)f->threats3),
	     "three verified copies under three declared threat zones");
	cell(c, "S4b", ATTEST,
	     NULL, "attestation");
	cell(c, "S4c", ATTEST, NULL,
	     "an attested plan and ref/mig events");
	return c;
}

static json_t *integrity(struct repo *r, const struct facts *f)
{
	json_t *c = json_array();
	int64_t v = f->versions;

	cell(c, "I1a", f->val ? MET : NA,
	     json_pack("{s:I, s:o}", "bag_deposits_validated", (json_int_t)f->val,
		       "events", ids(r, "val", "suc")), "");
	cell(c, "I1b", ALL(v - f->lack_mes, v) ? MET : NOT,
	     json_pack("{s:I, s:I, s:o}", "versions", (json_int_t)v, "versions_without_mes_event",
		       (json_int_t)f->lack_mes, "events", ids(r, "mes", "suc")),
	     "a message-digest (mes) event for every version");
	cell(c, "I1c", NOT,
	     json_pack("{s:I}", "vir_events", (json_int_t)f->vir),
	     "custos does not virus-check: no vir events are recorded");
	cell(c, "I2a", ALL(v - f->lack_fix, v) ? MET : NOT,
	     json_pack("{s:I, s:I, s:o}", "versions", (json_int_t)v, "versions_without_fix_event",
		       (json_int_t)f->lack_fix, "events", ids(r, "fix", "suc")),
	     "a successful fixity check after every write (verify_after_write = yes)");
	cell(c, "I2b", ATTEST, NULL,
	     "attestation");
	cell(c, "I2c", f->backups && !f->after_backup ? MET : NOT,
	     json_pack("{s:I, s:I, s:I, s:o}", "catalog_backups", (json_int_t)f->backups,
		       "versions", (json_int_t)v, "versions_ingested_after_the_last_backup",
		       (json_int_t)f->after_backup, "events", ids(r, "cre", "suc")),
	     "a catalog backup (custos backup, or [catalog] backup = yes) made after "
	     "the last version was ingested: it holds every file's digests apart "
	     "from the content");
	cell(c, "I3a", ALL(f->fresh, f->file_copies) ? MET : NOT,
	     json_pack("{s:I, s:I, s:I}", "file_copies", (json_int_t)f->file_copies,
		       "verified_within_interval", (json_int_t)f->fresh,
		       "of_them_by_an_audit", (json_int_t)f->by_audit),
	     "every file copy verified within the policy interval (see coverage)");
	cell(c, "I3b", ATTEST,
	     json_pack("{s:I, s:I}", "fixity_events", (json_int_t)f->fix_all,
		       "failed", (json_int_t)f->fix_fail),
	     "an attested process document (outcomes are recorded as fix events)");
	cell(c, "I3c", f->runs ? MET : NOT,
	     json_pack("{s:I}", "completed_audit_runs", (json_int_t)f->runs),
	     "no completed audit run is recorded");
	cell(c, "I4a", ALL(v - f->lack_fix, v) ? MET : NOT,
	     json_pack("{s:I, s:I}", "versions", (json_int_t)v, "versions_without_fix_event",
		       (json_int_t)f->lack_fix), "fix events after every write and copy");
	cell(c, "I4b", !f->fix_fail ? NA : f->unresolved ? NOT : MET,
	     json_pack("{s:I, s:I, s:o}", "failed_fixity_checks", (json_int_t)f->fix_fail,
		       "unresolved", (json_int_t)f->unresolved, "events", ids(r, "fix", "fai")),
	     "every failed fixity check followed by a repair or a passing check");
	return c;
}

static json_t *control(struct repo *r, const struct facts *f)
{
	json_t *c = json_array();

	(void)r;
	cell(c, "C1a", ATTEST,
	     NULL, "an attested decision (custos records no access matrix)");
	cell(c, "C2a", ATTEST, NULL,
	     "the access configuration, documented and attested");
	cell(c, "C3a", f->events && !f->no_agent ? MET : NOT,
	     json_pack("{s:I, s:I}", "events", (json_int_t)f->events,
		       "events_without_agent", (json_int_t)f->no_agent),
	     "every event names its agent; human agents are not recorded");
	cell(c, "C4a", NOT, NULL,
	     "no log-review records exist");
	return c;
}

static json_t *metadata(struct repo *r, const struct facts *f)
{
	json_t *c = json_array();
	int64_t v = f->versions;
	size_t ninfo = repo_policy(r)->nrequired_info;

	cell(c, "M1a", v && !f->no_copy ? MET : NOT,
	     json_pack("{s:I, s:I, s:I}", "versions", (json_int_t)v, "copies",
		       (json_int_t)f->copies, "versions_without_copy_record", (json_int_t)f->no_copy),
	     v ? "a copy record for every version" : "no content in the inventory");
	cell(c, "M1b", (f->log_locations && f->log_whole == f->log_locations) ||
		       (f->backups && !f->after_backup) ? MET : NOT,
	     json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "locations", (json_int_t)f->log_locations,
		       "locations_holding_the_whole_event_log", (json_int_t)f->log_whole,
		       "log_events", (json_int_t)f->events,
		       "catalog_backups", (json_int_t)f->backups,
		       "versions_ingested_after_the_last_backup", (json_int_t)f->after_backup,
		       "events", ids(r, "cre", "suc")),
	     "the event log mirrored into every location up to the catalog's last "
	     "event (custos rebuild remakes the inventory from it), or a catalog "
	     "backup made after the last version was ingested");
	cell(c, "M2a", ninfo && v && !f->lack_info ? MET : NOT,
	     json_pack("{s:I, s:I, s:I}", "versions", (json_int_t)v,
		       "required_bag_info_labels", (json_int_t)ninfo,
		       "missing_required_values", (json_int_t)f->lack_info),
	     ninfo ? "every version must carry the policy's required bag-info" :
	     "the policy requires no descriptive metadata ([deposit] required_info)");
	cell(c, "M3a", ATTEST, NULL,
	     "an attested choice (custos writes PREMIS 3 events)");
	cell(c, "M3b", ATTEST,
	     NULL, "a gap review against the chosen standards");
	cell(c, "M4a", ALL(v - f->lack_ing, v) ? MET : NOT,
	     json_pack("{s:I, s:I, s:o}", "versions", (json_int_t)v,
		       "versions_without_ingest_event", (json_int_t)f->lack_ing,
		       "events", ids(r, "ing", "suc")), "an ingest event for every version");
	cell(c, "M4b", NOT,
	     NULL, "events.xml is not validated against the PREMIS 3 schema by custos");
	return c;
}

static json_t *content(struct repo *r, const struct facts *f)
{
	json_t *c = json_array();
	int64_t v = f->versions;

	cell(c, "N1a", ALL(v - f->lack_for, v) ? MET : NOT,
	     json_pack("{s:I, s:I, s:I, s:I, s:o}", "versions", (json_int_t)v,
		       "versions_without_for_event", (json_int_t)f->lack_for,
		       "files", (json_int_t)f->files, "files_without_puid",
		       (json_int_t)f->unidentified, "events", ids(r, "for", "suc")),
	     "a format identification (for) event for every version");
	cell(c, "N2a", NOT, NULL,
	     "custos identifies formats but does not validate them: no val events per file");
	cell(c, "N2b", ATTEST, NULL,
	     "attestation");
	cell(c, "N3a", ATTEST,
	     json_pack("{s:I, s:I}", "at_risk_puids_declared",
		       (json_int_t)repo_policy(r)->nat_risk, "at_risk_files", (json_int_t)f->at_risk),
	     "an attested format-risk review");
	cell(c, "N4a", !f->at_risk ? NA : f->migrations ? MET : NOT,
	     json_pack("{s:I, s:I}", "at_risk_files", (json_int_t)f->at_risk,
		       "migration_events", (json_int_t)f->migrations),
	     "mig/nor events for the at-risk files");
	return c;
}

static bool satisfied(json_t *cell_j, bool attested)
{
	const char *s = json_string_value(json_object_get(cell_j, "status"));

	return !strcmp(s, MET) || !strcmp(s, NA) || (attested && !strcmp(s, ATTEST));
}

static int level_of(json_t *cells, bool attested)
{
	json_t *v;
	size_t i;

	for (int l = 1; l <= 4; l++)
		json_array_foreach(cells, i, v)
			if (json_integer_value(json_object_get(v, "level")) <= l &&
			    !satisfied(v, attested))
				return l - 1;
	return 4;
}

static json_t *area(json_t *cells)
{
	int lvl = level_of(cells, false);
	json_t *next = json_array(), *v;
	size_t i;

	json_array_foreach(cells, i, v)
		if (json_integer_value(json_object_get(v, "level")) <= lvl + 1 &&
		    !satisfied(v, false))
			json_array_append_new(next, json_pack("{s:O, s:O, s:O}", "cell",
				json_object_get(v, "cell"), "status", json_object_get(v, "status"),
				"missing", json_object_get(v, "missing")));
	return json_pack("{s:i, s:i, s:o, s:o}", "level", lvl, "level_if_attested",
			 level_of(cells, true), "cells", cells,
			 "missing_for_next_level", next);
}

int compliance_ndsa(struct repo *r, json_t *rep, struct custos_err *err)
{
	json_t *(*const fns[POLICY_NDSA_AREAS])(struct repo *, const struct facts *) = {
		[POLICY_NDSA_STORAGE] = storage, [POLICY_NDSA_INTEGRITY] = integrity,
		[POLICY_NDSA_CONTROL] = control, [POLICY_NDSA_METADATA] = metadata,
		[POLICY_NDSA_CONTENT] = content,
	};
	json_t *areas = json_object();
	struct facts f;
	int overall = 4, attested = 4;

	if (gather(r, rep, &f, err) < 0) {
		json_decref(areas);
		return -1;
	}
	for (size_t i = 0; i < POLICY_NDSA_AREAS; i++) {
		json_t *a = area(fns[i](r, &f));
		int l = (int)rjson_int(a, "level"), la = (int)rjson_int(a, "level_if_attested");

		overall = l < overall ? l : overall;
		attested = la < attested ? la : attested;
		json_object_set_new(areas, policy_ndsa_area_name((enum policy_ndsa_area)i), a);
	}
	return json_object_set_new(rep, "ndsa", json_pack("{s:s, s:i, s:i, s:o, s:s}",
		"version", "NDSA Levels of Digital Preservation 2.0 (2019)",
		"level", overall, "level_if_attested", attested, "areas", areas,
		"method", "a cell is met only with evidence from the catalog; cells only a "
		"person can state need an attestation, which custos does not record, and "
		"never count as met in 'level'; 'level_if_attested' assumes they are; "
		"the area level is the highest whose cells are all met or n/a, the "
		"overall level the lowest area level"));
}
