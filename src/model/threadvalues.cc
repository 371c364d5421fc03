/* threadvalues.cc — trawl_xapian_thread_values (model-private.h): the date,
 * From and Subject of every message of one thread, as notmuch stores them,
 * read by one forward pass over each value slot's stream.
 *
 * Opening a thread, notmuch hands out each message's date and headers by a
 * lookup of its own per message and value (doc.get_value: a seek into the
 * slot's value chunks, each time), which cost trawl a third of a big
 * thread's opening.  The thread's documents are term "G<thread id>"'s
 * postings, in docid order, so each slot's values are one skip_to() walk
 * along its stream instead: a chunk is read once for all the thread's
 * messages in it.
 *
 * notmuch (0.37, lib/notmuch-private.h) keeps the date in slot 0
 * (NOTMUCH_VALUE_TIMESTAMP, Xapian::sortable_serialise of the seconds), the
 * Message-ID in 1, From in 2, Subject in 3 (NOTMUCH_VALUE_FROM, _SUBJECT),
 * and each document's last modification in 4 (NOTMUCH_VALUE_LAST_MOD),
 * whose upper bound is what notmuch_database_get_revision() reports
 * (lib/open.cc).  The values are used only when this handle sees the
 * revision REVISION, the one the caller's notmuch handle sees: then they are
 * the ones notmuch would give, value for value.
 *
 * No exception leaves it: any failure gives FALSE (the caller asks notmuch,
 * message by message). */
#include "config.h"

#include <string>
#include <vector>

#include <xapian.h>

#include "model-private.h"

static const Xapian::valueno SLOT_TIMESTAMP = 0;
static const Xapian::valueno SLOT_MESSAGE_ID = 1;
static const Xapian::valueno SLOT_FROM = 2;
static const Xapian::valueno SLOT_SUBJECT = 3;
static const Xapian::valueno SLOT_LAST_MOD = 4;

static void
values_free (gpointer p)
{
	TrawlThreadValues *v = (TrawlThreadValues *) p;
	g_free (v->from);
	g_free (v->subject);
	g_free (v);
}

GHashTable *
trawl_xapian_thread_values (const char *xapian_dir, const char *thread_id, unsigned long revision)
{
	if (!xapian_dir || !thread_id)
		return NULL;
	try {
		Xapian::Database db (xapian_dir);
		std::string last = db.get_value_upper_bound (SLOT_LAST_MOD);
		unsigned long seen = last.empty () ? 0 : (unsigned long) Xapian::sortable_unserialise (last);
		if (seen != revision)
			return NULL;	/* another revision: notmuch's values may differ */
		std::string term = std::string ("G") + thread_id;
		std::vector<Xapian::docid> ids;
		for (Xapian::PostingIterator p = db.postlist_begin (term); p != db.postlist_end (term); ++p)
			ids.push_back (*p);
		if (ids.empty ())
			return NULL;
		const Xapian::valueno slots[] = { SLOT_TIMESTAMP, SLOT_MESSAGE_ID, SLOT_FROM, SLOT_SUBJECT };
		std::vector<std::string> vals[G_N_ELEMENTS (slots)];
		for (gsize s = 0; s < G_N_ELEMENTS (slots); s++) {
			vals[s].resize (ids.size ());
			Xapian::ValueIterator v = db.valuestream_begin (slots[s]);
			Xapian::ValueIterator end = db.valuestream_end (slots[s]);
			for (gsize i = 0; i < ids.size () && v != end; i++) {
				v.skip_to (ids[i]);
				if (v == end)
					break;
				if (v.get_docid () == ids[i])
					vals[s][i] = *v;
			}
		}
		GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, values_free);
		for (gsize i = 0; i < ids.size (); i++) {
			/* A ghost (a message known only from a reply's
			 * references) has no values, and no place in the
			 * thread notmuch builds. */
			const std::string &id = vals[1][i];
			if (id.empty ())
				continue;
			TrawlThreadValues *tv = g_new0 (TrawlThreadValues, 1);
			/* as notmuch_message_get_date () converts it */
			tv->date = vals[0][i].empty () ? 0 : (gint64) (time_t) Xapian::sortable_unserialise (vals[0][i]);
			/* c_str (): notmuch's strings end at a NUL too */
			tv->from = vals[2][i].empty () ? NULL : g_strdup (vals[2][i].c_str ());
			tv->subject = vals[3][i].empty () ? NULL : g_strdup (vals[3][i].c_str ());
			g_hash_table_replace (out, g_strdup (id.c_str ()), tv);
		}
		return out;
	} catch (...) {
		return NULL;
	}
}
