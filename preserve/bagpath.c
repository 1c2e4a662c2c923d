/*
 * preserve/bagpath.c - percent-coding and containment checks for paths in
 * manifests, fetch.txt and archives. Pure string work: no file is touched.
 */
#include "core/text.h"
#include "preserve/bagpath.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int bagpath_decode(char **out, const char *raw)
{
	size_t n = strlen(raw);
	char *s = malloc(n + 1), *d = s;

	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (raw[i] == '%' && i + 2 < n) {
			int hi = text_hexval(raw[i + 1]), lo = text_hexval(raw[i + 2]);
			int v = (hi >= 0 && lo >= 0) ? hi * 16 + lo : -1;

			/* RFC8493 2.1.3: only CR, LF and % are encoded */
			if (v == '%' || v == '\n' || v == '\r') {
				*d++ = (char)v;
				i += 2;
				continue;
			}
		}
		*d++ = raw[i];
	}
	*d = '\0';
	*out = s;
	return 0;
}

int bagpath_encode(char **out, const char *path)
{
	size_t n = strlen(path), extra = 0;
	char *s, *d;

	for (size_t i = 0; i < n; i++)
		if (path[i] == '%' || path[i] == '\n' || path[i] == '\r')
			extra += 2;
	s = malloc(n + extra + 1);
	if (!s)
		return -1;
	d = s;
	for (size_t i = 0; i < n; i++) {
		const char *code = path[i] == '%' ? "%25" :
				   path[i] == '\n' ? "%0A" :
				   path[i] == '\r' ? "%0D" : NULL;

		if (code) {
			memcpy(d, code, 3);
			d += 3;
		} else {
			*d++ = path[i];
		}
	}
	*d = '\0';
	*out = s;
	return 0;
}

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

int bagpath_normalize(char **out, const char *path, unsigned *flags)
{
	size_t n = strlen(path);
	const char *p = path;
	char *s, *d;

	*flags = 0;
	if (strchr(path, '\\'))
		*flags |= BAGPATH_F_BACKSLASH;
	if (path[0] == '/')
		return BAGPATH_ABSOLUTE;
	if (path[0] == '~')
		return BAGPATH_HOME;
	if (has_control(path))
		return BAGPATH_CONTROL;
	s = malloc(n + 1);
	if (!s)
		return -1;
	d = s;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 0) {
			*flags |= BAGPATH_F_SLASHES;
		} else if (len == 1 && p[0] == '.') {
			*flags |= BAGPATH_F_DOTSLASH;
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			free(s);
			return BAGPATH_DOTDOT;
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
		return BAGPATH_EMPTY;
	}
	*out = s;
	return BAGPATH_OK;
}

const char *bagpath_verdict_str(enum bagpath_verdict v)
{
	switch (v) {
	case BAGPATH_OK: return "is fine";
	case BAGPATH_EMPTY: return "is empty";
	case BAGPATH_ABSOLUTE: return "is absolute";
	case BAGPATH_HOME: return "starts with '~' (a home directory)";
	case BAGPATH_DOTDOT: return "has a '..' component";
	case BAGPATH_CONTROL: return "contains a control character";
	}
	return "is invalid";
}

int bagpath_is_system_file(const char *path)
{
	static const char *const names[] = {
		".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini",
		"Desktop.ini", ".Spotlight-V100", ".Trashes", ".fseventsd",
		"Icon\r",
	};
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strncmp(base, "._", 2) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return 1;
	return 0;
}
