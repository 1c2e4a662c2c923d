/*
 * preserve/bagit/bagpath.c - percent-coding and containment checks for paths in
 * manifests, fetch.txt and archives. Pure string work: no file is touched.
 */
#include "core/text.h"
#include "preserve/bagit/bagpath.h"

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
