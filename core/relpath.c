/*
 * core/relpath.c - containment checks and canonical form of relative
 * paths (see relpath.h).
 */
#include "core/relpath.h"

#include <stdlib.h>
#include <string.h>

static int has_control(const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return 1;
	}
	return 0;
}

/* Append component [c, c+len) to the canonical path being built in D. */
static char *append_component(char *d, char *start, const char *c, size_t len)
{
	if (d != start)
		*d++ = '/';
	memcpy(d, c, len);
	return d + len;
}

int relpath_normalize(char **out, const char *path, unsigned *flags)
{
	size_t n = strlen(path);
	const char *p = path;
	char *s, *d;

	*flags = 0;
	if (strchr(path, '\\'))
		*flags |= RELPATH_F_BACKSLASH;
	if (path[0] == '/')
		return RELPATH_ABSOLUTE;
	if (path[0] == '~')
		return RELPATH_HOME;
	if (has_control(path))
		return RELPATH_CONTROL;
	s = malloc(n + 1);
	if (!s)
		return -1;
	d = s;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 0) {
			*flags |= RELPATH_F_SLASHES;
		} else if (len == 1 && p[0] == '.') {
			*flags |= RELPATH_F_DOTSLASH;
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			free(s);
			return RELPATH_DOTDOT;
		} else {
			d = append_component(d, s, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	*d = '\0';
	if (d == s) {
		free(s);
		return RELPATH_EMPTY;
	}
	if (s[0] == '~') {          /* "./~x": a home directory once "./" goes */
		free(s);
		return RELPATH_HOME;
	}
	*out = s;
	return RELPATH_OK;
}

const char *relpath_verdict_str(enum relpath_verdict v)
{
	switch (v) {
	case RELPATH_OK: return "is fine";
	case RELPATH_EMPTY: return "is empty";
	case RELPATH_ABSOLUTE: return "is absolute";
	case RELPATH_HOME: return "starts with '~' (a home directory)";
	case RELPATH_DOTDOT: return "has a '..' component";
	case RELPATH_CONTROL: return "contains a control character";
	}
	return "is invalid";
}

