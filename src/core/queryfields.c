/* queryfields.c — the query language's field prefixes and their hints, for
 * the search prompt's completion (trawl/complete.h). */
#include "config.h"

#include <string.h>

#include "trawl/complete.h"

typedef struct {
	const char *field;
	const char *hint;
} Field;

static const Field fields[] = {
	{ "from:", "from:NAME or from:ADDRESS  (Tab: senders by display name or address, most messages first)" },
	{ "to:", "to:NAME or to:ADDRESS  (Tab: recipients by display name or address, most messages first)" },
	{ "date:", "date:2022-03-01..2022-06-30  date:2weeks..  date:yesterday  date:2024  (SINCE..UNTIL, either may be left out)" },
	{ "subject:", "subject:word  subject:\"a phrase\"  subject:/regex/" },
	{ "attachment:", "attachment:NAME  (a word of an attachment's file name: attachment:pdf)" },
	{ "mimetype:", "mimetype:application/pdf  mimetype:text/html  (a part's content type)" },
	{ "folder:", "folder:NAME  folder:\"INBOX/Sent\"  (the maildir folder, from the database root)" },
	{ "path:", "path:DIR  path:DIR/**  (the file's directory from the database root; ** also below)" },
	{ "thread:", "thread:ID  thread:{QUERY}  (a thread, or the threads with a message matching QUERY)" },
	{ "id:", "id:MESSAGE-ID  (without the < >)" },
	{ "tag:", "tag:NAME  (Tab completes the tags)" },
	{ "property:", "property:KEY=VALUE  (a notmuch message property)" },
	{ "query:", "query:NAME  (a named query: notmuch config set query.NAME ...)" },
};

const char *const *
trawl_query_fields (void)
{
	static const char *names[G_N_ELEMENTS (fields) + 1];
	if (!names[0])
		for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
			names[i] = fields[i].field;
	return names;
}

const char *
trawl_query_field_hint (const char *word)
{
	if (!word)
		return NULL;
	/* "(from:al", "-date:", "not" are no different: the field is where
	 * the word's letters start. */
	while (*word == '(' || *word == '-' || *word == '+')
		word++;
	for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
		if (g_ascii_strncasecmp (word, fields[i].field, strlen (fields[i].field)) == 0)
			return fields[i].hint;
	return NULL;
}

GPtrArray *
trawl_query_field_matches (const char *word)
{
	GPtrArray *out = g_ptr_array_new ();
	if (!word || !*word || strchr (word, ':'))
		return out;
	for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
		if (g_ascii_strncasecmp (word, fields[i].field, strlen (word)) == 0)
			g_ptr_array_add (out, (gpointer) fields[i].field);
	return out;
}
