/* fuzz.h — shared by the harnesses in tests/fuzz: one-time set-up and the
 * invariants every harness checks.  A violated invariant calls abort(), so
 * libFuzzer (tests/fuzz/fuzz-*) and the plain driver (driver.c, run by make
 * check over tests/fuzz/regress/HARNESS/) both catch it. */
#ifndef TRAWL_FUZZ_H
#define TRAWL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Fails the input: says why on stderr, then abort(). */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf (stderr, "%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
		fprintf (stderr, __VA_ARGS__); \
		fputc ('\n', stderr); \
		abort (); \
	} \
} while (0)

/* A code point a terminal could act on: C0 (but none is allowed at all, see
 * fuzz_assert_clean), DEL, C1 or a bidi control. */
static inline gboolean
fuzz_is_control (gunichar c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	       c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* S (sanitised text, one line) is valid UTF-8 without any control; WHAT
 * names it in the report. */
static inline void
fuzz_assert_clean (const char *s, const char *what)
{
	FUZZ_CHECK (s != NULL, "%s is NULL", what);
	FUZZ_CHECK (g_utf8_validate (s, -1, NULL), "%s is not valid UTF-8: %s", what, s);
	for (const char *p = s; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		FUZZ_CHECK (!fuzz_is_control (c), "%s has U+%04X after sanitising: %s", what, (unsigned) c, s);
	}
}

/* An abort() on a GLib critical, as G_DEBUG=fatal-criticals does under make
 * check: a g_return_if_fail hit by an input is a bug too. */
static inline void
fuzz_fatal_criticals (void)
{
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
}

#endif
