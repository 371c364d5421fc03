/* xrows.cc — thread rows read straight from Xapian (model-private.h).
 *
 * Why: notmuch builds a thread's summary by making a message object of
 * every message in it, and each object reads its document's termlist
 * (zlib-compressed; every word of the message) for the thread id, tags and
 * files.  The newest threads of an archive are its long ones: at 1M
 * messages the first screen's 48 rows hold ~2,900 messages, and reading
 * them cost ~100 ms of the first screen.  A row needs far less: the
 * thread's documents (term "G<id>"'s postings), each one's date, From and
 * Subject (value slots 0, 2 and 3, no termlist), and the thread's tags (one
 * skip along each tag term's postings).  The rules for authors, subject,
 * counts and dates are notmuch 0.37's (lib/thread.cc), for the queries it
 * can tell without notmuch's query parser: every message, or one tag; the
 * caller uses notmuch for any other.  test-xrows compares every row with
 * notmuch's own on generated and real archives.
 *
 * No exception leaves it: a failure gives FALSE and the caller asks
 * notmuch instead. */
#include "config.h"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "model-private.h"
#include "trawl/author.h"

/* notmuch 0.37's value slots (lib/notmuch-private.h). */
static const Xapian::valueno SLOT_TIMESTAMP = 0;
static const Xapian::valueno SLOT_FROM = 2;
static const Xapian::valueno SLOT_SUBJECT = 3;
/* Past this many tags, a thread's tags are read from its documents'
 * termlists instead of a skip along every tag's postings. */
static const size_t TAGS_BY_POSTINGS_MAX = 64;

struct TrawlXRows {
	Xapian::Database db;
	std::string dir;		/* for the walks' own handles in other threads */
	bool usable;			/* From and Subject are in values */
	std::vector<std::string> tag_terms;	/* "K<tag>", read at (re)open */
	guint64 messages_read;
};

static void
load (TrawlXRows *x)
{
	/* Without this feature notmuch reads From and Subject from the files. */
	x->usable = x->db.get_metadata ("features").find ("from/subject/message-ID in database") != std::string::npos;
	x->tag_terms.clear ();
	for (Xapian::TermIterator t = x->db.allterms_begin ("K"); t != x->db.allterms_end ("K"); ++t)
		x->tag_terms.push_back (*t);
}

TrawlXRows *
trawl_xrows_open (const char *xapian_dir)
{
	if (!xapian_dir)
		return NULL;
	try {
		std::unique_ptr<TrawlXRows> x (new TrawlXRows);
		x->db = Xapian::Database (xapian_dir);
		x->dir = xapian_dir;
		x->messages_read = 0;
		load (x.get ());
		return x.release ();
	} catch (...) {
		return NULL;
	}
}

void
trawl_xrows_free (TrawlXRows *x)
{
	delete x;
}

gboolean
trawl_xrows_reopen (TrawlXRows *x)
{
	try {
		if (x->db.reopen ())
			load (x);
		return x->usable;
	} catch (...) {
		return FALSE;
	}
}

guint64
trawl_xrows_messages_read (const TrawlXRows *x)
{
	return x ? x->messages_read : 0;
}

namespace {

struct Msg {
	Xapian::docid id;
	std::string date;	/* sortable_serialise'd, as Xapian sorts it */
	std::string from, subject;
	bool matched;
};

/* Marks in HAVE (parallel to DOCS, ascending) the documents TERM indexes;
 * returns whether any is. */
bool
mark_term (Xapian::Database &db, const std::string &term, const std::vector<Xapian::docid> &docs,
	   std::vector<bool> *have, bool first_only)
{
	bool any = false;
	Xapian::PostingIterator p = db.postlist_begin (term), end = db.postlist_end (term);
	for (size_t i = 0; i < docs.size () && p != end; i++) {
		p.skip_to (docs[i]);
		if (p == end)
			break;
		if (*p == docs[i]) {
			any = true;
			if (have)
				(*have)[i] = true;
			if (first_only)
				break;
		}
	}
	return any;
}

/* Which of DOCS (ascending) the query matches: TAG's (every one when NULL),
 * less those with an excluded tag (search.exclude_tags: counted in their
 * thread, never matched, as notmuch's EXCLUDE_TRUE has it). */
std::vector<bool>
query_matches (Xapian::Database &db, const std::vector<Xapian::docid> &docs, const char *tag, char **exclude)
{
	std::vector<bool> excluded (docs.size (), false), tagged (docs.size (), tag == NULL);
	for (char **e = exclude; e && *e; e++)
		mark_term (db, std::string ("K") + *e, docs, &excluded, false);
	if (tag)
		mark_term (db, std::string ("K") + tag, docs, &tagged, false);
	std::vector<bool> match (docs.size ());
	for (size_t i = 0; i < docs.size (); i++)
		match[i] = tagged[i] && !excluded[i];
	return match;
}

/* notmuch's _thread_set_subject_from_message: one "Re: "-like prefix off;
 * an empty subject changes nothing. */
void
set_subject (std::string *subject, const std::string &s)
{
	std::string cleaned = s;
	if (s.size () >= 4 && (g_ascii_strncasecmp (s.c_str (), "Re: ", 4) == 0 ||
			       g_ascii_strncasecmp (s.c_str (), "Aw: ", 4) == 0 ||
			       g_ascii_strncasecmp (s.c_str (), "Vs: ", 4) == 0 ||
			       g_ascii_strncasecmp (s.c_str (), "Sv: ", 4) == 0))
		cleaned = s.substr (4);
	if (!cleaned.empty ())
		*subject = cleaned;
}

std::string
value_at (Xapian::ValueIterator &v, const Xapian::ValueIterator &end, Xapian::docid did)
{
	if (v == end)
		return std::string ();
	if (v.get_docid () < did)
		v.skip_to (did);
	if (v != end && v.get_docid () == did)
		return *v;
	return std::string ();
}

gint64
date_of (const std::string &v)
{
	return v.empty () ? 0 : (gint64) Xapian::sortable_unserialise (v);
}

}  /* namespace */

gboolean
trawl_xrows_build (TrawlXRows *x, const char *thread_id, const char *tag, char **exclude,
		   gboolean oldest_first, TrawlThreadRow *row)
{
	if (!x || !x->usable || !thread_id)
		return FALSE;
	try {
		Xapian::Database &db = x->db;
		/* The thread's messages (ghosts, "Tghost", are not mail). */
		std::vector<Xapian::docid> docs;
		const std::string gterm = std::string ("G") + thread_id;
		Xapian::PostingIterator mail = db.postlist_begin ("Tmail"), mail_end = db.postlist_end ("Tmail");
		for (Xapian::PostingIterator p = db.postlist_begin (gterm); p != db.postlist_end (gterm) && mail != mail_end; ++p) {
			mail.skip_to (*p);
			if (mail != mail_end && *mail == *p)
				docs.push_back (*p);
		}
		if (docs.empty ())
			return FALSE;
		x->messages_read += docs.size ();

		const std::vector<bool> matches = query_matches (db, docs, tag, exclude);

		std::vector<Msg> msgs (docs.size ());
		Xapian::ValueIterator vd = db.valuestream_begin (SLOT_TIMESTAMP), vd_end = db.valuestream_end (SLOT_TIMESTAMP);
		Xapian::ValueIterator vf = db.valuestream_begin (SLOT_FROM), vf_end = db.valuestream_end (SLOT_FROM);
		Xapian::ValueIterator vs = db.valuestream_begin (SLOT_SUBJECT), vs_end = db.valuestream_end (SLOT_SUBJECT);
		for (size_t i = 0; i < docs.size (); i++) {
			Msg &m = msgs[i];
			m.id = docs[i];
			m.date = value_at (vd, vd_end, docs[i]);
			m.from = value_at (vf, vf_end, docs[i]);
			m.subject = value_at (vs, vs_end, docs[i]);
			m.matched = matches[i];
		}

		/* The thread's tags: every message's, excluded ones too. */
		std::set<std::string> tags;
		if (x->tag_terms.size () <= TAGS_BY_POSTINGS_MAX) {
			for (const std::string &t : x->tag_terms)
				if (mark_term (db, t, docs, NULL, true))
					tags.insert (t.substr (1));
		} else {
			for (Xapian::docid d : docs) {
				Xapian::TermIterator t = db.termlist_begin (d), t_end = db.termlist_end (d);
				for (t.skip_to ("K"); t != t_end && (*t)[0] == 'K'; ++t)
					tags.insert ((*t).substr (1));
			}
		}

		/* notmuch walks the thread oldest first (ties: document order). */
		std::stable_sort (msgs.begin (), msgs.end (), [] (const Msg &a, const Msg &b) {
			return a.date < b.date;
		});

		std::vector<std::string> all_authors, matched_authors;
		std::set<std::string> all_seen, matched_seen;
		std::string subject;
		bool have_subject = false;
		int matched = 0, total = 0;
		gint64 oldest = 0, newest = 0;
		for (const Msg &m : msgs) {
			total++;
			char *author = trawl_thread_author (m.from.c_str ());
			if (author && all_seen.insert (author).second)
				all_authors.push_back (author);
			if (!have_subject) {
				subject = m.subject;
				have_subject = true;
			}
			if (m.matched) {
				gint64 date = date_of (m.date);
				if (date < oldest || !matched) {
					oldest = date;
					if (oldest_first)
						set_subject (&subject, m.subject);
				}
				if (date > newest || !matched) {
					newest = date;
					if (!oldest_first || subject.empty ())
						set_subject (&subject, m.subject);
				}
				matched++;
				if (author && matched_seen.insert (author).second)
					matched_authors.push_back (author);
			}
			g_free (author);
		}
		if (!matched)
			return FALSE;

		/* Matched authors, then "| " and the others (lib/thread.cc;
		 * with no matched author, notmuch prints a null pointer). */
		GString *authors = g_string_new (NULL);
		bool any = false;
		for (const std::string &a : matched_authors) {
			if (any)
				g_string_append (authors, ", ");
			g_string_append (authors, a.c_str ());
			any = true;
		}
		bool first_other = true;
		for (const std::string &a : all_authors) {
			if (matched_seen.count (a))
				continue;
			if (!any)
				g_string_append (authors, "(null)");
			g_string_append (authors, first_other ? "| " : ", ");
			g_string_append (authors, a.c_str ());
			first_other = false;
			any = true;
		}

		GString *tagstr = g_string_new (NULL);
		for (const std::string &t : tags) {
			if (tagstr->len)
				g_string_append_c (tagstr, ' ');
			g_string_append (tagstr, t.c_str ());
		}

		row->thread_id = g_strdup (thread_id);
		row->newest = newest;
		row->oldest = oldest;
		row->matched = matched;
		row->total = total;
		row->authors = g_string_free (authors, FALSE);
		row->subject = g_strdup (subject.c_str ());
		row->tags = g_string_free (tagstr, FALSE);
		return TRUE;
	} catch (...) {
		return FALSE;
	}
}

/* ---- the walk: the matching messages nearest one end, in notmuch's order ---- */

/* notmuch sorts a thread list by walking the matching messages by date
 * (ties in document order) and listing each thread where its first message
 * comes.  Xapian's matcher keeps the K first of that order with a heap over
 * one pass of the date values: the same order as notmuch's sort of every
 * match (the same matcher, query and keys), for the cost of reading the
 * values once.  Of those K, only the first message of each thread has its
 * termlist read (for the thread id): the thread's other messages are known
 * from its postings and stepped over. */
/* Walked out, the K give way to the next K * 4 up to the last one's date
 * (one more pass over the date values): a list walked from one end costs a
 * pass per 4^n messages, never one per band; the messages of that date
 * already passed are stepped over as known.  The next K are fetched in a
 * thread of their own (its own handle) once half of these are walked, so a
 * key rarely waits for a pass. */
namespace {

struct Chunk {
	std::vector<Xapian::docid> docs;
	std::vector<gint64> dates;
	bool complete = false;	/* it held every match left */
};

/* notmuch's query (lib/query.cc): type "mail" and the query, less the
 * excluded tags the query does not name.  (Built anew in each thread:
 * Xapian's objects are not shared across threads.) */
Xapian::Query
walk_query (bool has_tag, const std::string &tag, const std::vector<std::string> &exclude)
{
	Xapian::Query q ("Tmail");
	if (has_tag)
		q = Xapian::Query (Xapian::Query::OP_AND, q, Xapian::Query ("K" + tag));
	std::vector<Xapian::Query> ex;
	for (const std::string &e : exclude)
		ex.push_back (Xapian::Query ("K" + e));
	if (!ex.empty ())
		q = Xapian::Query (Xapian::Query::OP_AND_NOT, q, Xapian::Query (Xapian::Query::OP_OR, ex.begin (), ex.end ()));
	return q;
}

/* The K first matches in notmuch's order, up to BOUND's date when BOUNDED. */
void
fetch_chunk (Xapian::Database &db, const Xapian::Query &query, bool newest_first, guint k,
	     bool bounded, gint64 bound, Chunk &out)
{
	Xapian::Query q = query;
	if (bounded)
		q = Xapian::Query (Xapian::Query::OP_AND, q,
				   Xapian::Query (newest_first ? Xapian::Query::OP_VALUE_LE : Xapian::Query::OP_VALUE_GE,
						  SLOT_TIMESTAMP, Xapian::sortable_serialise ((double) bound)));
	Xapian::Enquire enquire (db);
	enquire.set_weighting_scheme (Xapian::BoolWeight ());
	enquire.set_docid_order (Xapian::Enquire::ASCENDING);
	enquire.set_sort_by_value (SLOT_TIMESTAMP, newest_first);
	enquire.set_query (q);
	Xapian::MSet mset = enquire.get_mset (0, k);
	out.complete = mset.size () < k;
	out.docs.clear ();
	out.dates.clear ();
	out.docs.reserve (mset.size ());
	out.dates.reserve (mset.size ());
	for (Xapian::MSetIterator i = mset.begin (); i != mset.end (); ++i) {
		out.docs.push_back (*i);
		const std::string key = i.get_sort_key ();
		out.dates.push_back (key.empty () ? 0 : (gint64) Xapian::sortable_unserialise (key));
	}
}

/* A chunk being fetched by a thread of its own; shared by the thread and
 * the walk, freed by whichever lets go last. */
struct Prefetch {
	std::mutex m;
	std::condition_variable cv;
	bool done = false, failed = false;
	Chunk chunk;
};

/* Documents of the threads met: a bit per document. */
struct Known {
	std::vector<bool> bits;
	bool has (Xapian::docid d) const
	{
		return d < bits.size () && bits[d];
	}
	void add (Xapian::docid d)
	{
		if (d >= bits.size ())
			bits.resize ((size_t) d * 2 + 1024, false);
		bits[d] = true;
	}
};

}  /* namespace */

struct TrawlXWalk {
	std::string dir;
	bool has_tag;
	std::string tag;
	std::vector<std::string> exclude;
	bool newest_first;
	guint k;		/* of the chunk walked */
	std::vector<Xapian::docid> docs;
	std::vector<gint64> dates;
	size_t next;
	bool complete;		/* these K held every match left */
	std::shared_ptr<Prefetch> prefetch;	/* the next K, being fetched */
	guint next_k;
	Known known;
	guint64 termlists;	/* thread ids read */
	guint64 chunks;		/* passes over the date values */
};

#define XWALK_K_MAX (1u << 16)

static void
xwalk_install (TrawlXWalk *w, Chunk &c)
{
	w->docs.swap (c.docs);
	w->dates.swap (c.dates);
	w->complete = c.complete;
	w->next = 0;
	w->chunks++;
}

/* The next K, from the last one's date, fetched by a thread of its own. */
static void
xwalk_prefetch (TrawlXWalk *w)
{
	if (w->prefetch || w->complete || w->docs.empty ())
		return;
	w->next_k = MIN (w->k * 4, XWALK_K_MAX);
	try {
		auto pf = std::make_shared<Prefetch> ();
		std::string dir = w->dir, tag = w->tag;
		std::vector<std::string> exclude = w->exclude;
		bool has_tag = w->has_tag, newest = w->newest_first;
		guint k = w->next_k;
		gint64 bound = w->dates.back ();
		std::thread ([pf, dir, tag, exclude, has_tag, newest, k, bound] () {
			Chunk c;
			bool ok = true;
			try {
				Xapian::Database db (dir);
				fetch_chunk (db, walk_query (has_tag, tag, exclude), newest, k, true, bound, c);
			} catch (...) {
				ok = false;
			}
			{
				std::lock_guard<std::mutex> l (pf->m);
				pf->chunk = std::move (c);
				pf->failed = !ok;
				pf->done = true;
			}
			pf->cv.notify_all ();
		}).detach ();
		w->prefetch = pf;
	} catch (...) {
		w->prefetch.reset ();	/* no thread: fetched when needed */
	}
}

/* The next K once these are walked: the prefetched ones, else fetched now. */
static void
xwalk_advance (Xapian::Database &db, TrawlXWalk *w)
{
	xwalk_prefetch (w);
	Chunk c;
	bool have = false;
	if (w->prefetch) {
		std::shared_ptr<Prefetch> pf = w->prefetch;
		w->prefetch.reset ();
		std::unique_lock<std::mutex> l (pf->m);
		pf->cv.wait (l, [&pf] { return pf->done; });
		if (!pf->failed) {
			c = std::move (pf->chunk);
			have = true;
		}
	}
	if (!have)
		fetch_chunk (db, walk_query (w->has_tag, w->tag, w->exclude), w->newest_first, w->next_k, true,
			     w->dates.back (), c);
	w->k = w->next_k;
	xwalk_install (w, c);
}

TrawlXWalk *
trawl_xwalk_start (TrawlXRows *x, const char *tag, char **exclude, gboolean newest_first, guint k)
{
	if (!x || !x->usable || k == 0)
		return NULL;
	try {
		TrawlXWalk *w = new TrawlXWalk;
		w->dir = x->dir;
		w->has_tag = tag != NULL;
		w->tag = tag ? tag : "";
		for (char **e = exclude; e && *e; e++)
			w->exclude.push_back (*e);
		w->newest_first = newest_first;
		w->k = w->next_k = k;
		w->next = 0;
		w->termlists = 0;
		w->chunks = 0;
		w->complete = false;
		try {
			Chunk c;
			fetch_chunk (x->db, walk_query (w->has_tag, w->tag, w->exclude), newest_first, k, false, 0, c);
			xwalk_install (w, c);
		} catch (...) {
			delete w;
			return NULL;
		}
		return w;
	} catch (...) {
		return NULL;
	}
}

void
trawl_xwalk_free (TrawlXWalk *w)
{
	delete w;
}

gboolean
trawl_xwalk_next (TrawlXRows *x, TrawlXWalk *w, char **thread_id, gint64 *date, guint64 *stepped)
{
	try {
		for (;;) {
			if (w->next >= w->docs.size ()) {
				if (w->complete || w->docs.empty ())
					return FALSE;
				xwalk_advance (x->db, w);
				continue;
			}
			if (w->next * 2 >= w->docs.size ())
				xwalk_prefetch (w);
			size_t i = w->next++;
			(*stepped)++;
			Xapian::docid did = w->docs[i];
			if (w->known.has (did))
				continue;
			Xapian::TermIterator t = x->db.termlist_begin (did);
			t.skip_to ("G");
			w->termlists++;
			if (t == x->db.termlist_end (did) || (*t)[0] != 'G')
				continue;
			const std::string term = *t;
			for (Xapian::PostingIterator p = x->db.postlist_begin (term); p != x->db.postlist_end (term); ++p)
				w->known.add (*p);
			*thread_id = g_strdup (term.c_str () + 1);
			*date = w->dates[i];
			return TRUE;
		}
	} catch (...) {
		w->next = w->docs.size ();
		w->complete = false;
	}
	return FALSE;
}

gboolean
trawl_xwalk_complete (const TrawlXWalk *w)
{
	return w->complete;
}

gboolean
trawl_xwalk_span (const TrawlXWalk *w, gint64 *first, gint64 *last)
{
	if (w->dates.empty ())
		return FALSE;
	*first = w->dates.front ();
	*last = w->dates.back ();
	return TRUE;
}

guint64
trawl_xwalk_termlists (const TrawlXWalk *w)
{
	return w ? w->termlists : 0;
}

guint64
trawl_xwalk_chunks (const TrawlXWalk *w)
{
	return w ? w->chunks : 0;
}

/* ---- the far end: the last threads of the list ------------------------------ */

namespace {

struct TailThread {
	std::string id;
	gint64 date;		/* its place: the newest (oldest) matching message's date */
	Xapian::docid doc;	/* and, among that date's, the first in document order */
};

}  /* namespace */

/* A thread's place in the list is where the walk meets it first: its newest
 * matching message (oldest, when the list is oldest first), ties in document
 * order.  The K messages nearest the far end (Xapian's matcher, the other
 * way round) hold every matching message of each thread placed beyond the
 * K's last date, so those threads are the list's last ones, whole, in an
 * order read from their own messages. */
gboolean
trawl_xwalk_tail (TrawlXRows *x, const char *tag, char **exclude, gboolean newest_first, guint k,
		  GPtrArray *ids, GArray *dates, gint64 *edge, gboolean *complete, guint64 *stepped, guint64 *termlists)
{
	TrawlXWalk *w = trawl_xwalk_start (x, tag, exclude, !newest_first, k);
	if (!w)
		return FALSE;
	try {
		Xapian::Database &db = x->db;
		*complete = w->complete;
		gint64 boundary = w->dates.empty () ? 0 : w->dates.back ();
		/* The threads met (a termlist each), and every document of them
		 * with its thread: the documents are then read in one ascending
		 * pass with one iterator per term and slot, not a set per thread. */
		std::vector<TailThread> threads;
		std::vector<std::pair<Xapian::docid, size_t>> all;
		for (size_t i = 0; i < w->docs.size (); i++) {
			(*stepped)++;
			Xapian::docid did = w->docs[i];
			if (w->known.has (did))
				continue;
			Xapian::TermIterator t = db.termlist_begin (did);
			t.skip_to ("G");
			(*termlists)++;
			if (t == db.termlist_end (did) || (*t)[0] != 'G')
				continue;
			const std::string term = *t;
			TailThread tt;
			tt.id = term.substr (1);
			tt.date = 0;
			tt.doc = 0;
			threads.push_back (tt);
			for (Xapian::PostingIterator p = db.postlist_begin (term); p != db.postlist_end (term); ++p) {
				w->known.add (*p);
				all.push_back (std::make_pair (*p, threads.size () - 1));
			}
		}
		std::sort (all.begin (), all.end ());
		std::vector<Xapian::docid> docs;
		docs.reserve (all.size ());
		for (const auto &a : all)
			docs.push_back (a.first);
		/* Ghosts ("Tghost") are no mail; excluded and untagged messages
		 * are no match (they place no thread). */
		std::vector<bool> mail (docs.size (), false);
		mark_term (db, "Tmail", docs, &mail, false);
		const std::vector<bool> matches = query_matches (db, docs, tag, exclude);
		std::vector<bool> any (threads.size (), false);
		Xapian::ValueIterator vd = db.valuestream_begin (SLOT_TIMESTAMP), vd_end = db.valuestream_end (SLOT_TIMESTAMP);
		for (size_t j = 0; j < docs.size (); j++) {
			if (!mail[j] || !matches[j])
				continue;
			gint64 d = date_of (value_at (vd, vd_end, docs[j]));
			TailThread &tt = threads[all[j].second];
			size_t ti = all[j].second;
			/* docs ascend: the first of a date is the lowest docid */
			if (!any[ti] || (newest_first ? d > tt.date : d < tt.date)) {
				tt.date = d;
				tt.doc = docs[j];
			}
			any[ti] = true;
		}
		/* Placed for certain only beyond the boundary: a thread placed at
		 * the boundary's date may tie with messages past the K. */
		std::vector<TailThread> placed;
		for (size_t ti = 0; ti < threads.size (); ti++)
			if (any[ti] && (w->complete || (newest_first ? threads[ti].date < boundary : threads[ti].date > boundary)))
				placed.push_back (threads[ti]);
		/* From the end inward: the reverse of the list's order (date, then
		 * document order, both ways). */
		std::sort (placed.begin (), placed.end (), [newest_first] (const TailThread &a, const TailThread &b) {
			if (a.date != b.date)
				return newest_first ? a.date < b.date : a.date > b.date;
			return a.doc > b.doc;
		});
		for (const TailThread &tt : placed) {
			g_ptr_array_add (ids, g_strdup (tt.id.c_str ()));
			g_array_append_val (dates, tt.date);
		}
		*edge = newest_first ? boundary - 1 : boundary + 1;
		trawl_xwalk_free (w);
		return TRUE;
	} catch (...) {
		trawl_xwalk_free (w);
		return FALSE;
	}
}

/* ---- counting: messages and threads of the same queries ----------------------- */

/* notmuch counts a query's threads by reading the thread id of every
 * matching message (a termlist each: ~30 s and over 100 MB at 1M messages,
 * its matcher holding every match).  Here the matches are a byte per
 * document, from the postings of "Tmail", the tag and the excluded tags,
 * and a thread counts when one of its term "G<id>"'s postings is a match:
 * the postings are read once, no termlist. */
struct TrawlXCount {
	Xapian::Database db;
};

TrawlXCount *
trawl_xcount_open (const char *xapian_dir)
{
	if (!xapian_dir)
		return NULL;
	try {
		std::unique_ptr<TrawlXCount> c (new TrawlXCount);
		c->db = Xapian::Database (xapian_dir);
		return c.release ();
	} catch (...) {
		return NULL;
	}
}

void
trawl_xcount_free (TrawlXCount *c)
{
	delete c;
}

gboolean
trawl_xcount_moved (TrawlXCount *c)
{
	try {
		return c->db.reopen ();
	} catch (...) {
		return TRUE;
	}
}

gboolean
trawl_xcount_run (TrawlXCount *c, const char *tag, char **exclude, gint64 *threads, gint64 *messages,
		  gboolean (*cancelled) (gpointer user), gpointer user)
{
	try {
		Xapian::Database &db = c->db;
		std::vector<guint8> state ((size_t) db.get_lastdocid () + 1, 0);
		for (Xapian::PostingIterator p = db.postlist_begin ("Tmail"); p != db.postlist_end ("Tmail"); ++p)
			state[*p] |= 1;
		if (tag) {
			const std::string t = std::string ("K") + tag;
			for (Xapian::PostingIterator p = db.postlist_begin (t); p != db.postlist_end (t); ++p)
				state[*p] |= 2;
		}
		for (char **e = exclude; e && *e; e++) {
			const std::string t = std::string ("K") + *e;
			for (Xapian::PostingIterator p = db.postlist_begin (t); p != db.postlist_end (t); ++p)
				state[*p] |= 4;
		}
		const guint8 want = tag ? 3 : 1;
		gint64 m = 0;
		for (size_t d = 0; d < state.size (); d++) {
			bool match = (state[d] & (want | 4)) == want;
			state[d] = match;
			m += match;
		}
		gint64 t = 0;
		guint n = 0;
		for (Xapian::TermIterator g = db.allterms_begin ("G"); g != db.allterms_end ("G"); ++g) {
			if (++n % 4096 == 0 && cancelled && cancelled (user))
				return FALSE;
			for (Xapian::PostingIterator p = db.postlist_begin (*g); p != db.postlist_end (*g); ++p)
				if (*p < state.size () && state[*p]) {
					t++;
					break;
				}
		}
		*threads = t;
		*messages = m;
		return TRUE;
	} catch (...) {
		return FALSE;
	}
}
