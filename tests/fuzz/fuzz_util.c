/*
 * fuzz_util.c — what the fuzz targets share: the input as a C string, the
 * input as a file (for the parsers that read a path, as the programs call
 * them).
 */
#include "fuzz/fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return NULL;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int fuzz_file(const char *tag, const uint8_t *data, size_t size, char *path, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/settle-fuzz-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), tag);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (size > 0) {
		ssize_t w = write(fd, data, size);

		if (w <= 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		data += w;
		size -= (size_t)w;
	}
	close(fd);
	return 0;
}
