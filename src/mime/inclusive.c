/* inclusive.c — which messages of a thread a later one quotes in full (see
 * trawl/inclusive.h for what "covered" means).
 *
 * A message's text is taken from its rendered lines (the MIME layer has
 * already split them into BODY / QUOTE / SIGNATURE lines, quote markers
 * counted and stripped): its own words form one sequence, its quoted words
 * one sequence per (region, depth) and one per region for all depths.
 * Words are 64-bit hashes of the lower-cased runs of letters and digits, with
 * a flag for the first and the last word of each line.
 *
 * The thread job works from the last message to the first: when message I
 * comes, everything below it (I+1 .. I+descendants, display order) has been
 * read and its line-start words are in an index, word -> (message, sequence,
 * position), appended in that order; so the entries of I's descendants are
 * the tail of the list for I's first word, and nothing else is looked at. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>

#include "trawl/inclusive.h"
#include "trawl/wakepipe.h"

#define F_START 1
#define F_END 2
#define DEPTH_ALL G_MAXUINT
/* Quoted words kept per message: a hostile message cannot make the job
 * hold more than this (the rest of its quotes is not looked at). */
#define MAX_QUOTED_WORDS 400000

typedef struct {
	guint region;
	guint depth;		/* DEPTH_ALL: every depth of the region */
	GArray *w;		/* guint64 word hashes */
	GByteArray *f;		/* F_START / F_END per word */
	GString *text;		/* the words as text (dumps only), or NULL */
} Seq;

struct TrawlIncText {
	Seq own;
	GPtrArray *quoted;	/* Seq * */
	guint64 quoted_words;
};

/* ------------------------------------------------------------ words */

static void
seq_init (Seq *s, guint region, guint depth, gboolean keep_text)
{
	s->region = region;
	s->depth = depth;
	s->w = g_array_new (FALSE, FALSE, sizeof (guint64));
	s->f = g_byte_array_new ();
	s->text = keep_text ? g_string_new (NULL) : NULL;
}

static void
seq_dispose (Seq *s)
{
	if (s->w)
		g_array_unref (s->w);
	if (s->f)
		g_byte_array_unref (s->f);
	if (s->text)
		g_string_free (s->text, TRUE);
	s->w = NULL;
	s->f = NULL;
	s->text = NULL;
}

static void
seq_free (gpointer p)
{
	seq_dispose (p);
	g_free (p);
}

/* Calls FN for each word of TEXT (lower-cased runs of letters and digits). */
typedef void (*WordFn) (const char *word, gsize len, gpointer data);

static void
each_word (const char *text, WordFn fn, gpointer data)
{
	GString *word = g_string_new (NULL);
	for (const char *p = text; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (g_unichar_isalnum (c)) {
			g_string_append_unichar (word, g_unichar_tolower (c));
		} else if (word->len) {
			fn (word->str, word->len, data);
			g_string_truncate (word, 0);
		}
	}
	if (word->len)
		fn (word->str, word->len, data);
	g_string_free (word, TRUE);
}

static guint64
word_hash (const char *w, gsize len)
{
	guint64 h = 14695981039346656037ULL;	/* FNV-1a */
	for (gsize i = 0; i < len; i++) {
		h ^= (guchar) w[i];
		h *= 1099511628211ULL;
	}
	return h;
}

typedef struct {
	Seq *s;
	guint first;		/* the line's first word in s */
} AddCtx;

static void
add_word (const char *word, gsize len, gpointer data)
{
	AddCtx *a = data;
	guint64 h = word_hash (word, len);
	guint8 f = 0;
	g_array_append_val (a->s->w, h);
	g_byte_array_append (a->s->f, &f, 1);
	if (a->s->text) {
		if (a->s->text->len)
			g_string_append_c (a->s->text, ' ');
		g_string_append_len (a->s->text, word, (gssize) len);
	}
}

/* Appends the words of one line to S; returns how many. */
static guint
seq_add_line (Seq *s, const char *text)
{
	AddCtx a = { s, s->w->len };
	if (s->text && s->text->len)
		g_string_append (s->text, " |");
	each_word (text, add_word, &a);
	guint n = s->w->len - a.first;
	if (n) {
		s->f->data[a.first] |= F_START;
		s->f->data[s->w->len - 1] |= F_END;
	} else if (s->text && s->text->len >= 2) {
		g_string_truncate (s->text, s->text->len - 2);	/* no word, no line break */
	}
	return n;
}

static void
count_word (const char *word, gsize len, gpointer data)
{
	(void) word;
	(void) len;
	(*(guint *) data)++;
}

static guint
count_words (const char *text)
{
	guint n = 0;
	each_word (text, count_word, &n);
	return n;
}

/* ------------------------------------------------------------ lines */

typedef struct {
	guint region;
	guint depth;
	const char *text;
	gboolean own;		/* the message's own text (else quoted material) */
	gboolean drop;		/* an attribution line */
} Item;

static gboolean
has_prefix_ci (const char *s, const char *prefix)
{
	return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* "---------- Forwarded message ---------", "-----Original Message-----",
 * "Begin forwarded message:", and the like: what follows is another
 * message's text. */
static gboolean
forward_marker (const char *text)
{
	g_autofree char *t = g_utf8_strdown (text, -1);
	g_strstrip (t);
	if (has_prefix_ci (t, "begin forwarded message"))
		return TRUE;
	gsize len = strlen (t);
	if (len < 8 || strncmp (t, "---", 3) != 0 || strcmp (t + len - 3, "---") != 0)
		return FALSE;
	static const char *const words[] = {
		"forwarded message", "original message", "weitergeleitete nachricht",
		"original-nachricht", "ursprüngliche nachricht", "mensaje original", "mensaje reenviado",
		"message transféré", "message d'origine", "messaggio originale", "messaggio inoltrato",
		NULL
	};
	for (int i = 0; words[i]; i++)
		if (strstr (t, words[i]))
			return TRUE;
	return FALSE;
}

/* An Outlook rule: a line of underscores (the next line says From:). */
static gboolean
outlook_rule (const char *text)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	gsize n = strspn (p, "_");
	return n >= 10 && p[n + strspn (p + n, " ")] == '\0';
}

/* "On Mon, 1 Jan 2020, Alice wrote:" and its kin. */
static gboolean
attribution_like (const char *text)
{
	g_autofree char *t = g_utf8_strdown (text, -1);
	g_strstrip (t);
	gsize len = strlen (t);
	if (len == 0 || t[len - 1] != ':')
		return FALSE;
	static const char *const words[] = {
		"wrote", "writes", "said", "schrieb", "écrit", "escribió", "scritto", "skrev", "napisał",
		"kirjoitti", "schreef", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strstr (t, words[i]))
			return TRUE;
	return has_prefix_ci (t, "on ") || has_prefix_ci (t, "am ") || has_prefix_ci (t, "le ");
}

/* The content lines of R with their region (0: the message's own text and
 * its quotes; then one per forward and nested message) and depth. */
static GArray *
items_of (const TrawlRendered *r)
{
	GArray *items = g_array_new (FALSE, FALSE, sizeof (Item));
	guint region = 0, main_region = 0, next_region = 1;
	guint cur_nest = 0;
	gboolean prev_header = FALSE;
	for (guint k = 0; k < r->lines->len; k++) {
		const TrawlLine *l = r->lines->pdata[k];
		if (l->nest != cur_nest) {
			cur_nest = l->nest;
			region = cur_nest == 0 ? main_region : next_region++;
		} else if (l->type == TRAWL_LINE_HEADER && !prev_header && l->nest > 0) {
			region = next_region++;	/* the next nested message */
		}
		prev_header = l->type == TRAWL_LINE_HEADER;
		if (l->type != TRAWL_LINE_BODY && l->type != TRAWL_LINE_QUOTE && l->type != TRAWL_LINE_SIGNATURE)
			continue;
		if (!l->text)
			continue;
		guint depth = l->type == TRAWL_LINE_BODY ? 0 : l->depth;
		if (depth == 0) {
			gboolean rule = FALSE;
			if (outlook_rule (l->text)) {
				/* Only when the next line with text says From:. */
				for (guint j = k + 1; j < r->lines->len; j++) {
					const TrawlLine *n = r->lines->pdata[j];
					if (n->type == TRAWL_LINE_BLANK)
						continue;
					rule = n->text && has_prefix_ci (n->text, "from:");
					break;
				}
			}
			if (rule || forward_marker (l->text)) {
				region = next_region++;
				if (cur_nest == 0)
					main_region = region;
				continue;
			}
		}
		/* The message's own signature is not its text. */
		if (l->type == TRAWL_LINE_SIGNATURE && depth == 0 && region == 0)
			continue;
		Item it = { region, depth, l->text, region == 0 && depth == 0, FALSE };
		g_array_append_val (items, it);
	}
	/* Attribution lines: "...wrote:" right before deeper quoted lines (a
	 * two-line one, "On ..., Alice <a@b>" / "wrote:", goes whole). */
	for (guint i = 0; i < items->len; i++) {
		Item *it = &g_array_index (items, Item, i);
		if (!attribution_like (it->text))
			continue;
		for (guint j = i + 1; j < items->len; j++) {
			Item *n = &g_array_index (items, Item, j);
			if (n->region != it->region)
				break;
			if (count_words (n->text) == 0)
				continue;
			if (n->depth > it->depth) {
				it->drop = TRUE;
				if (i > 0 && count_words (it->text) <= 3) {
					Item *p = &g_array_index (items, Item, i - 1);
					if (p->region == it->region && p->depth == it->depth &&
					    has_prefix_ci (p->text, "on "))
						p->drop = TRUE;
				}
			}
			break;
		}
	}
	return items;
}

static Seq *
group (TrawlIncText *t, GHashTable *groups, guint region, guint depth, gboolean keep_text)
{
	guint64 key = ((guint64) region << 32) | depth;
	Seq *s = g_hash_table_lookup (groups, &key);
	if (!s) {
		s = g_new0 (Seq, 1);
		seq_init (s, region, depth, keep_text);
		g_ptr_array_add (t->quoted, s);
		guint64 *k = g_new (guint64, 1);
		*k = key;
		g_hash_table_insert (groups, k, s);
	}
	return s;
}

static TrawlIncText *
text_new (const TrawlRendered *r, gboolean keep_text, gboolean want_quotes)
{
	TrawlIncText *t = g_new0 (TrawlIncText, 1);
	seq_init (&t->own, 0, 0, keep_text);
	t->quoted = g_ptr_array_new_with_free_func (seq_free);
	if (!r)
		return t;
	GArray *items = items_of (r);
	g_autoptr (GHashTable) groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	for (guint i = 0; i < items->len; i++) {
		const Item *it = &g_array_index (items, Item, i);
		if (it->drop)
			continue;
		if (it->own) {
			seq_add_line (&t->own, it->text);
			continue;
		}
		if (!want_quotes || t->quoted_words >= MAX_QUOTED_WORDS)
			continue;
		t->quoted_words += seq_add_line (group (t, groups, it->region, it->depth, keep_text), it->text);
		seq_add_line (group (t, groups, it->region, DEPTH_ALL, keep_text), it->text);
	}
	g_array_free (items, TRUE);
	return t;
}

TrawlIncText *
trawl_inc_text_new (const TrawlRendered *r)
{
	return text_new (r, TRUE, TRUE);
}

void
trawl_inc_text_free (TrawlIncText *t)
{
	if (!t)
		return;
	seq_dispose (&t->own);
	g_ptr_array_unref (t->quoted);
	g_free (t);
}

guint
trawl_inc_text_own_words (const TrawlIncText *t)
{
	return t->own.w ? t->own.w->len : 0;
}

/* Does S hold OWN's words at POS, from a line start to a line end? */
static gboolean
seq_match (const Seq *s, guint pos, const Seq *own, guint64 *compared)
{
	guint n = own->w->len;
	if (n == 0 || pos + n > s->w->len)
		return FALSE;
	if (!(s->f->data[pos] & F_START) || !(s->f->data[pos + n - 1] & F_END))
		return FALSE;
	const guint64 *a = &g_array_index (s->w, guint64, pos);
	const guint64 *b = (const guint64 *) (gpointer) own->w->data;
	for (guint i = 0; i < n; i++) {
		(*compared)++;
		if (a[i] != b[i])
			return FALSE;
	}
	return TRUE;
}

gboolean
trawl_inc_text_covers (const TrawlIncText *later, const TrawlIncText *earlier)
{
	guint64 compared = 0;
	if (!earlier->own.w || earlier->own.w->len == 0)
		return FALSE;
	for (guint k = 0; k < later->quoted->len; k++) {
		const Seq *s = later->quoted->pdata[k];
		for (guint p = 0; p < s->w->len; p++)
			if (seq_match (s, p, &earlier->own, &compared))
				return TRUE;
	}
	return FALSE;
}

static gint
seq_order (gconstpointer a, gconstpointer b)
{
	const Seq *x = *(const Seq *const *) a, *y = *(const Seq *const *) b;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return 0;
}

char *
trawl_inc_text_dump (const TrawlIncText *t)
{
	GString *s = g_string_new ("own:");
	if (t->own.text && t->own.text->len)
		g_string_append_printf (s, " %s", t->own.text->str);
	g_string_append_c (s, '\n');
	g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
	for (guint k = 0; k < t->quoted->len; k++)
		g_ptr_array_add (sorted, t->quoted->pdata[k]);
	g_ptr_array_sort (sorted, seq_order);
	for (guint k = 0; k < sorted->len; k++) {
		const Seq *q = sorted->pdata[k];
		if (q->depth == DEPTH_ALL)
			g_string_append_printf (s, "quote %u.*:", q->region);
		else
			g_string_append_printf (s, "quote %u.%u:", q->region, q->depth);
		if (q->text && q->text->len)
			g_string_append_printf (s, " %s", q->text->str);
		g_string_append_c (s, '\n');
	}
	return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------ the job */

typedef struct {
	guint32 msg;
	guint32 seq;
	guint32 pos;
} Entry;

/* Shared by the caller's side and the worker; freed by whichever ends last. */
typedef struct {
	gint ref;
	gint cancel;
	guint n;
	char **paths;
	guint *desc;
	gint *state;		/* TrawlIncState, written atomically */
	gint *by;		/* covering message, or -1 */
	gint decided;
	gint covered;
	TrawlWakePipe wake;	/* finished: the stats are there */
	TrawlIncStats stats;	/* written by the worker before it finishes */
} Job;

struct TrawlInclusive {
	Job *job;
};

static void
job_unref (Job *job)
{
	if (!g_atomic_int_dec_and_test (&job->ref))
		return;
	trawl_wake_pipe_clear (&job->wake);
	g_strfreev (job->paths);
	g_free (job->desc);
	g_free (job->state);
	g_free (job->by);
	g_free (job);
}

static gboolean
job_cancelled (gpointer data)
{
	return g_atomic_int_get (&((Job *) data)->cancel) != 0;
}

static void
publish (Job *job, guint i, TrawlIncState st, int by)
{
	job->by[i] = by;
	g_atomic_int_set (&job->state[i], st);
	if (st == TRAWL_INC_COVERED)
		g_atomic_int_inc (&job->covered);
	g_atomic_int_inc (&job->decided);
}

static gpointer
worker (gpointer data)
{
	Job *job = data;
	gint64 start = g_get_monotonic_time (), last_wake = start;
	guint n = job->n;
	TrawlIncText **texts = g_new0 (TrawlIncText *, MAX (n, 1));
	gboolean *has_ancestor = g_new0 (gboolean, MAX (n, 1));
	/* Ranges of the display order nest: some earlier message's range
	 * reaches I exactly when I has an ancestor. */
	gint64 reach = -1;
	for (guint i = 0; i < n; i++) {
		has_ancestor[i] = reach >= (gint64) i;
		reach = MAX (reach, (gint64) i + job->desc[i]);
	}
	GHashTable *index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
						   (GDestroyNotify) g_array_unref);
	TrawlRenderOptions o = { 0 };
	o.html_command = "";	/* the built-in renderer: no process per message */
	o.interrupt = job_cancelled;
	o.interrupt_data = job;
	TrawlIncStats st = { 0 };

	for (guint i = n; i-- > 0;) {
		if (g_atomic_int_get (&job->cancel))
			break;
		gboolean need_own = job->desc[i] > 0, need_quotes = has_ancestor[i];
		if (!need_own && !need_quotes) {
			publish (job, i, TRAWL_INC_INCLUSIVE, -1);
			continue;
		}
		TrawlRendered *r = trawl_mime_render_file (job->paths[i], &o, NULL);
		st.renders++;
		TrawlIncText *t = text_new (r, FALSE, need_quotes);
		trawl_rendered_free (r);
		int by = -1;
		if (need_own && t->own.w->len > 0) {
			guint64 first = g_array_index (t->own.w, guint64, 0);
			GArray *entries = g_hash_table_lookup (index, &first);
			guint last = i + job->desc[i];
			for (guint k = entries ? entries->len : 0; k-- > 0;) {
				const Entry *e = &g_array_index (entries, Entry, k);
				if (e->msg > last)
					break;	/* older entries: messages after I's replies */
				st.candidates++;
				if (seq_match (texts[e->msg]->quoted->pdata[e->seq], e->pos, &t->own, &st.words_compared)) {
					by = e->msg;
					break;
				}
			}
		}
		publish (job, i, by >= 0 ? TRAWL_INC_COVERED : TRAWL_INC_INCLUSIVE, by);
		if (need_quotes) {
			seq_dispose (&t->own);	/* only its quotes are wanted from now on */
			for (guint k = 0; k < t->quoted->len; k++) {
				const Seq *s = t->quoted->pdata[k];
				for (guint p = 0; p < s->w->len; p++) {
					if (!(s->f->data[p] & F_START))
						continue;
					guint64 h = g_array_index (s->w, guint64, p);
					GArray *entries = g_hash_table_lookup (index, &h);
					if (!entries) {
						entries = g_array_new (FALSE, FALSE, sizeof (Entry));
						guint64 *key = g_new (guint64, 1);
						*key = h;
						g_hash_table_insert (index, key, entries);
					}
					Entry e = { i, k, p };
					g_array_append_val (entries, e);
				}
			}
			texts[i] = t;
		} else {
			trawl_inc_text_free (t);
		}
		gint64 now = g_get_monotonic_time ();
		if (now - last_wake > 50000) {
			trawl_wake_pipe_signal (&job->wake);
			last_wake = now;
		}
	}
	g_hash_table_unref (index);
	for (guint i = 0; i < n; i++)
		trawl_inc_text_free (texts[i]);
	g_free (texts);
	g_free (has_ancestor);
	st.elapsed_us = g_get_monotonic_time () - start;
	job->stats = st;
	trawl_wake_pipe_finish (&job->wake);
	job_unref (job);
	return NULL;
}

TrawlInclusive *
trawl_inclusive_new (guint n, const char *const *paths, const guint *descendants)
{
	TrawlInclusive *ic = g_new0 (TrawlInclusive, 1);
	Job *job = g_new0 (Job, 1);
	ic->job = job;
	job->n = n;
	job->paths = g_new0 (char *, n + 1);
	job->desc = g_new0 (guint, MAX (n, 1));
	job->state = g_new0 (gint, MAX (n, 1));
	job->by = g_new (gint, MAX (n, 1));
	for (guint i = 0; i < n; i++) {
		job->paths[i] = g_strdup (paths[i] ? paths[i] : "");
		/* Never past the end, whatever the caller says. */
		job->desc[i] = MIN (descendants[i], n - 1 - i);
		job->by[i] = -1;
	}
	/* libxml2 (the built-in HTML renderer) is set up here, on the
	 * caller's thread, before a worker may use it. */
	xmlInitParser ();
	/* Without a pipe the job still runs, unpolled (wake_fd -1). */
	trawl_wake_pipe_init (&job->wake, NULL);
	job->ref = 2;
	g_autoptr (GError) e = NULL;
	GThread *th = g_thread_try_new ("trawl-inclusive", worker, job, &e);
	if (th) {
		g_thread_unref (th);
	} else {
		/* No thread: do it here, at once (bounded per message as above). */
		job->ref = 2;
		worker (job);
	}
	return ic;
}

void
trawl_inclusive_free (TrawlInclusive *ic)
{
	if (!ic)
		return;
	g_atomic_int_set (&ic->job->cancel, 1);
	job_unref (ic->job);
	g_free (ic);
}

guint
trawl_inclusive_len (const TrawlInclusive *ic)
{
	return ic->job->n;
}

guint
trawl_inclusive_decided (const TrawlInclusive *ic)
{
	return (guint) g_atomic_int_get (&ic->job->decided);
}

guint
trawl_inclusive_covered (const TrawlInclusive *ic)
{
	return (guint) g_atomic_int_get (&ic->job->covered);
}

gboolean
trawl_inclusive_finished (const TrawlInclusive *ic)
{
	return trawl_wake_pipe_finished (&ic->job->wake);
}

TrawlIncState
trawl_inclusive_state (const TrawlInclusive *ic, guint message)
{
	return message < ic->job->n ? (TrawlIncState) g_atomic_int_get (&ic->job->state[message]) : TRAWL_INC_PENDING;
}

int
trawl_inclusive_covered_by (const TrawlInclusive *ic, guint message)
{
	/* by[] is written before the state that publishes it. */
	if (trawl_inclusive_state (ic, message) != TRAWL_INC_COVERED)
		return -1;
	return ic->job->by[message];
}

int
trawl_inclusive_wake_fd (const TrawlInclusive *ic)
{
	return trawl_wake_pipe_fd (&ic->job->wake);
}

gboolean
trawl_inclusive_collect (TrawlInclusive *ic)
{
	return trawl_wake_pipe_collect (&ic->job->wake);
}

void
trawl_inclusive_wait (TrawlInclusive *ic)
{
	trawl_wake_pipe_wait (&ic->job->wake);
}

TrawlIncStats
trawl_inclusive_stats (const TrawlInclusive *ic)
{
	TrawlIncStats none = { 0 };
	return trawl_wake_pipe_finished (&ic->job->wake) ? ic->job->stats : none;
}
