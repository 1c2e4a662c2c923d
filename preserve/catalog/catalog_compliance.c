/*
 * preserve/catalog/catalog_compliance.c - the counts the compliance sections
 * judge (catalog_compliance.h).
 */
#include "preserve/catalog/catalog_compliance.h"

#include <string.h>
#include "preserve/catalog/catalog_read_int.h"

/* Per version: its "ok" copies and the distinct regions, threat zones
 * and media of their locations. */
#define PER_VERSION \
	"SELECT COUNT(c.id) AS n, COUNT(DISTINCT l.region) AS reg," \
	" COUNT(DISTINCT l.threat) AS thr, COUNT(DISTINCT l.media) AS med" \
	" FROM versions v LEFT JOIN copies c ON c.version_id = v.id AND c.status = 'ok'" \
	" LEFT JOIN locations l ON l.id = c.location_id GROUP BY v.id"

static int count(struct catalog *c, const char *sql, int64_t *out, struct custos_err *err)
{
	return catalog_count(c, sql, NULL, 0, out, err);
}

int catalog_copy_spread(struct catalog *c, struct catalog_copy_spread *s,
			struct custos_err *err)
{
	memset(s, 0, sizeof(*s));
	if (count(c, "SELECT SUM(n >= 2) FROM (" PER_VERSION ") pv", &s->with_2_copies,
		  err) < 0 ||
	    count(c, "SELECT SUM(n >= 3 AND reg >= 2) FROM (" PER_VERSION ") pv",
		  &s->with_3_copies_2_regions, err) < 0 ||
	    count(c, "SELECT SUM(thr >= 2) FROM (" PER_VERSION ") pv", &s->spanning_2_threats,
		  err) < 0 ||
	    count(c, "SELECT SUM(med >= 2) FROM (" PER_VERSION ") pv", &s->spanning_2_media,
		  err) < 0 ||
	    count(c, "SELECT SUM(n >= 3 AND thr >= 3) FROM (" PER_VERSION ") pv",
		  &s->with_3_copies_3_threats, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM locations", &s->locations, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM copies c"
		  " WHERE c.version_id = v.id)", &s->without_copy, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM locations WHERE COALESCE(media, '') = ''",
		  &s->locations_without_media, err) < 0)
		return -1;
	return 0;
}

int catalog_versions_lacking_event(struct catalog *c, const char *type, int64_t *out,
				   struct custos_err *err)
{
	const char *p[1] = { type };

	return catalog_count(c, "SELECT COUNT(*) FROM versions v JOIN objects o"
			     " ON o.id = v.object_id WHERE NOT EXISTS (SELECT 1 FROM events e"
			     " WHERE e.type = ? AND e.outcome = 'suc' AND e.object = o.ident"
			     " AND e.version = v.number)", p, 1, out, err);
}

int catalog_versions_lacking_info(struct catalog *c, const char *label, int64_t *out,
				  struct custos_err *err)
{
	const char *p[1] = { label };

	/* bag_info is a JSON array of [label, value] pairs */
	return catalog_count(c, "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1"
			     " FROM json_each(COALESCE(v.bag_info, '[]')) j WHERE"
			     " lower(json_extract(j.value, '$[0]')) = lower(?) AND"
			     " trim(json_extract(j.value, '$[1]')) <> '')", p, 1, out, err);
}

int catalog_event_tally(struct catalog *c, struct catalog_event_tally *t,
			struct custos_err *err)
{
	memset(t, 0, sizeof(*t));
	if (count(c, "SELECT COUNT(*) FROM events WHERE type = 'val' AND outcome = 'suc'",
		  &t->deposits_validated, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE type = 'ing' AND outcome = 'suc'",
		  &t->ingests, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE type = 'vir'", &t->virus_checks,
		  err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE type = 'fix'", &t->fixity_checks,
		  err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE type = 'fix' AND outcome = 'fai'",
		  &t->fixity_failed, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events f WHERE f.type = 'fix' AND f.outcome = 'fai'"
		  " AND NOT EXISTS (SELECT 1 FROM events g WHERE g.id > f.id AND g.outcome = 'suc'"
		  " AND ((g.type IN ('rep', 'rec') AND json_extract(g.record, '$.related_event')"
		  " = f.uuid) OR (g.type = 'fix' AND g.object IS f.object AND g.version IS"
		  " f.version AND g.location IS f.location)))", &t->fixity_unresolved, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE json_extract(record, '$.agent') IS NULL",
		  &t->without_agent, err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM events WHERE type IN ('mig', 'nor')", &t->migrations,
		  err) < 0 ||
	    count(c, "SELECT COUNT(*) FROM audit_runs WHERE ended IS NOT NULL",
		  &t->audit_runs_completed, err) < 0)
		return -1;
	return 0;
}

int catalog_backup_facts(struct catalog *c, struct catalog_backup_facts *out,
			 struct custos_err *err)
{
	return catalog_count(c, "SELECT COUNT(*) FROM events WHERE type = 'cre' AND"
			     " outcome = 'suc'", NULL, 0, &out->backups, err) < 0 ||
	       catalog_count(c, "SELECT COUNT(*) FROM events WHERE type = 'ing' AND"
			     " outcome = 'suc' AND version IS NOT NULL AND id > COALESCE("
			     "(SELECT MAX(id) FROM events WHERE type = 'cre' AND outcome = 'suc'), 0)",
			     NULL, 0, &out->versions_after_last, err) < 0 ? -1 : 0;
}
