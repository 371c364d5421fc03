/* datebounds.cc — trawl_xapian_date_bounds (model-private.h): the dates of
 * the oldest and newest message of a notmuch database and how many messages
 * it holds, without a pass over the messages.
 *
 * notmuch (0.37, lib/notmuch-private.h) keeps each message's date in value
 * slot 0 (NOTMUCH_VALUE_TIMESTAMP), as Xapian::sortable_serialise (seconds);
 * Xapian keeps every slot's lowest and highest value: two lookups.  But
 * notmuch's directory documents keep their mtime in that same slot
 * (lib/directory.cc), and a directory is usually younger than the mail in it
 * (it is written when the mail is stored), and a bound is never narrowed
 * when the value that made it is overwritten (a new directory's 0 stays the
 * lower bound): when a bound is a directory's, or 0, the messages' own are
 * found by one pass over the slot's values, skipping the directories' (a
 * read of the value stream: no query, no count, no sort).
 * Messages are term "Tmail"'s documents (ghosts have no date).
 *
 * No exception leaves it: any failure gives FALSE. */
#include "config.h"

#include <set>
#include <string>

#include <xapian.h>

#include "model-private.h"
#include "listcache.h"

static const Xapian::valueno SLOT_TIMESTAMP = 0;

/* The lowest and highest value of the slot over every document but SKIP's
 * (the directories): one pass over the slot's value stream, in docid order
 * (sortable_serialise's strings sort as the numbers do). */
static bool
values_range (Xapian::Database &db, const std::set<Xapian::docid> &skip, std::string *l, std::string *h)
{
	bool any = false;
	for (Xapian::ValueIterator v = db.valuestream_begin (SLOT_TIMESTAMP); v != db.valuestream_end (SLOT_TIMESTAMP); ++v) {
		if (skip.count (v.get_docid ()))
			continue;
		const std::string &s = *v;
		if (!any || s < *l)
			*l = s;
		if (!any || s > *h)
			*h = s;
		any = true;
	}
	return any;
}

gboolean
trawl_xapian_date_bounds (const char *xapian_dir, gint64 *lo, gint64 *hi, guint64 *messages)
{
	if (!xapian_dir)
		return FALSE;
	try {
		Xapian::Database db (xapian_dir);
		Xapian::doccount n = db.get_termfreq ("Tmail");
		std::string l = db.get_value_lower_bound (SLOT_TIMESTAMP);
		std::string h = db.get_value_upper_bound (SLOT_TIMESTAMP);
		if (!n || l.empty () || h.empty ())
			return FALSE;
		/* The directories' mtimes (few documents: one term "XDIRECTORY<path>"
		 * each).  A directory document starts with 0 there, and Xapian
		 * does not narrow a bound when its value is overwritten: 0 is
		 * checked too. */
		const std::string zero = Xapian::sortable_serialise (0);
		bool suspect = l == zero || h == zero;
		std::set<Xapian::docid> dirs;
		/* (and the old API's timestamp documents, "XTIMESTAMP<key>") */
		for (const char *prefix : { "XDIRECTORY", "XTIMESTAMP" })
			for (Xapian::TermIterator t = db.allterms_begin (prefix); t != db.allterms_end (prefix); ++t)
				for (Xapian::PostingIterator p = db.postlist_begin (*t); p != db.postlist_end (*t); ++p) {
					std::string v = db.get_document (*p).get_value (SLOT_TIMESTAMP);
					suspect = suspect || v == l || v == h;
					dirs.insert (*p);
				}
		if (suspect && !values_range (db, dirs, &l, &h))
			return FALSE;
		double dl = Xapian::sortable_unserialise (l), dh = Xapian::sortable_unserialise (h);
		if (dl > dh)
			return FALSE;
		*lo = (gint64) dl;
		*hi = (gint64) dh;
		*messages = n;
		return TRUE;
	} catch (...) {
		return FALSE;
	}
}

/* listcache.h: what adding or removing a document changes (the keys of the
 * list cache).  Opening the tables is all it costs. */
gboolean
trawl_xapian_doc_stamp (const char *xapian_dir, guint64 *lastdocid, guint64 *doccount)
{
	if (!xapian_dir)
		return FALSE;
	try {
		Xapian::Database db (xapian_dir);
		*lastdocid = db.get_lastdocid ();
		*doccount = db.get_doccount ();
		return TRUE;
	} catch (...) {
		return FALSE;
	}
}
