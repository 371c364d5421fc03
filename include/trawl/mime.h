/* mime.h — one message file rendered to typed display lines, by GMime.
 *
 * Knows GMime and GLib; never curses, never notmuch.  The UI draws these lines
 * (wrapping them with trawl/wrap.h and passing every string through
 * trawl_sanitize()); the render goldens in tests/render compare
 * trawl_rendered_dump() output.
 *
 * Text in lines, headers and parts is valid UTF-8 but NOT sanitised: it is
 * what the message says, decoded.  Sanitising is the screen's job.
 *
 * Memory: a TrawlRendered owns everything it points to (its arrays own their
 * lines and parts, each line and part its strings); all of it lives until
 * trawl_rendered_free().
 */
#ifndef TRAWL_MIME_H
#define TRAWL_MIME_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	TRAWL_LINE_HEADER,	/* name in ->label ("From"), decoded value in ->text */
	TRAWL_LINE_BODY,	/* a line of text */
	TRAWL_LINE_QUOTE,	/* a quoted line; ->depth is the quote level (1 for "> ") */
	TRAWL_LINE_QUOTE_FOLD,	/* stands for ->count hidden quoted lines (->depth as above) */
	TRAWL_LINE_SIGNATURE,	/* the "-- " line and what follows it (->depth: the quote
				 * level of a quoted line after it, as in a top-posted reply) */
	TRAWL_LINE_PART,	/* a part marker: "text/html, shown as text by w3m"; with
				 * ->count > 0, it stands for that many leaf parts nested
				 * deeper than the cap, not shown ("3 parts nested deeper
				 * than 32 levels not shown"; TrawlRenderOptions.deep_parts
				 * shows them) */
	TRAWL_LINE_ATTACHMENT,	/* an attachment: ->part indexes TrawlRendered.parts */
	TRAWL_LINE_WARNING,	/* something could not be rendered as it should be */
	TRAWL_LINE_BLANK,
	TRAWL_LINE_HELD,	/* HTML held back by the render budget: ->count HTML parts
				 * not rendered from here on, or (->depth 1) rendered by the
				 * built-in renderer instead of the dumper; ->text says why.
				 * TrawlRenderOptions.no_budget renders them all. */
	TRAWL_LINE_RAW_HEADER,	/* all_headers: one header exactly as in the file, unfolded
				 * (a line break before white space removed), in file
				 * order, duplicates kept: ->text is the whole line
				 * ("Subject: =?UTF-8?Q?...?="), bytes that are not UTF-8
				 * as "\xNN"; ->label its name.  A Date line has the local
				 * time added after it: "  (local: Fri 14 Jun 2024 12:00 CEST)" */
	TRAWL_LINE_HEADER_DECODED,	/* after a RAW_HEADER line whose value decoding
					 * (RFC 2047, charset) changed: ->text the decoded
					 * value, ->label the header's name */
} TrawlLineType;

typedef struct {
	TrawlLineType type;
	guint depth;		/* quote level; for nested messages see ->nest */
	guint nest;		/* message/rfc822 nesting level (0: the message itself) */
	int part;		/* index into ->parts, or -1 */
	guint count;		/* TRAWL_LINE_QUOTE_FOLD: lines hidden; TRAWL_LINE_PART: parts hidden (0: none) */
	guint fold_id;		/* TRAWL_LINE_QUOTE_FOLD and the QUOTE lines it hides share it (>0) */
	char *label;		/* TRAWL_LINE_HEADER: the header's name; owned by the line */
	char *text;		/* owned by the line */
} TrawlLine;

typedef struct {
	int index;		/* position in ->parts */
	char *content_type;	/* "application/pdf"; owned by the part, as are the names */
	char *filename;		/* decoded (RFC 2047/2231), as the message gives it; may be NULL */
	char *safe_filename;	/* a base name fit to save: no separators, no leading dot or dash, no controls */
	gsize size;		/* decoded size in bytes (0 if unknown); counted from the encoded
				 * text when the part is not otherwise decoded (see TrawlRenderStats) */
	gboolean is_attachment;	/* Content-Disposition: attachment, or not a displayable text part */
	guint nest;
} TrawlPart;

/* What a render cost, for tests and benchmarks; nothing shown depends on it.
 * Each leaf part's content is decoded at most once per render (a shown text
 * part: once, capped at max_part_bytes); a part only listed has its size
 * counted from its encoded text (base64, quoted-printable, 7bit/8bit/binary)
 * without being decoded (uuencode is decoded, into nothing kept). */
typedef struct {
	guint parts_decoded;	/* leaf parts whose content was decoded (or read as is) */
	guint64 bytes_decoded;	/* decoded bytes those produced */
	guint parts_counted;	/* leaf parts whose size was counted without decoding */
	guint html_dumper_runs;	/* external HTML dumper runs (w3m, ...) */
	guint html_cache_hits;	/* HTML parts whose text came from TrawlRenderOptions.html_cache */
	guint html_builtin;	/* HTML parts rendered by the built-in renderer */
	guint html_held;	/* HTML parts not rendered (budget or interruption) */
} TrawlRenderStats;

typedef struct {
	GPtrArray *lines;	/* TrawlLine *, owned (the array frees them) */
	GPtrArray *parts;	/* TrawlPart *, owned (every leaf part, shown or not) */
	GPtrArray *headers;	/* TrawlLine *, owned, of type HEADER: every header of the message, decoded */
	guint alternatives;	/* how many multipart/alternative choices the message offers (max over the message) */
	guint shown_alternative;	/* the choice shown (1-based) in the first multipart/alternative; 0: none */
	gboolean has_html;
	gboolean truncated;	/* a size or depth cap was hit */
	guint parts_too_deep;	/* leaf parts nested deeper than the cap: in ->parts, not shown */
	guint html_held;	/* HTML parts the budget or an interruption held back (not
				 * rendered, or rendered by the built-in renderer instead of
				 * the dumper): a render with no_budget would do them */
	gboolean interrupted;	/* TrawlRenderOptions.interrupt stopped the render */
	TrawlRenderStats stats;
} TrawlRendered;

/* Text of HTML parts as rendered, shared between renders so that showing a
 * message again (every header, another alternative, back to it) never runs
 * a dumper twice for the same part.  Keyed by the renderer and the HTML's
 * SHA-256; holds at most the bytes it was made with (oldest dropped first). */
typedef struct TrawlHtmlCache TrawlHtmlCache;
TrawlHtmlCache *trawl_html_cache_new (gsize max_bytes);
void trawl_html_cache_free (TrawlHtmlCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlHtmlCache, trawl_html_cache_free)

typedef struct {
	gboolean all_headers;	/* show every header as in the file (RAW_HEADER lines, with
				 * HEADER_DECODED ones), not only From To Cc Date Subject */
	guint alternative;	/* 0: prefer text/plain; n: the nth choice (cycled by the UI) */
	const char *html_command;	/* NULL: first of w3m, lynx, elinks found; "": built-in only.
					 * Borrowed: read during the render, never kept */
	guint quote_fold_min;	/* fold quote blocks longer than this (0: never fold) */
	gsize max_part_bytes;	/* cap per text part (0: a default of 4 MiB) */
	guint max_depth;	/* MIME nesting cap (0: a default of 32); never above 1024 */
	gboolean deep_parts;	/* raise the nesting cap to 1024 for this render, showing the
				 * parts a default render hides (still bounded: a hostile
				 * message cannot make the walk recurse without end) */
	gint64 now;		/* for relative dates; 0: not used */
	guint max_lines;	/* cap on rendered lines (0: a default of 200,000) */
	/* The render budget: no single message may hold trawl up.  HTML parts
	 * go to the dumper until it has run html_max_runs times or for
	 * html_budget_us in all (one run is cut when the budget ends); later
	 * ones go to the built-in renderer (a HELD line says so).  Once HTML
	 * has taken render_budget_us in all, the remaining HTML parts are not
	 * rendered (a HELD line counts them). */
	guint html_max_runs;	/* 0: a default of 16 */
	gint64 html_budget_us;	/* 0: a default of 3 s */
	gint64 render_budget_us;	/* 0: a default of 8 s */
	gboolean no_budget;	/* no budget (each dumper run still ends after 5 s) */
	TrawlHtmlCache *html_cache;	/* NULL: none; borrowed for the render */
	/* Asked before each HTML part and every TRAWL_CAPTURE_POLL_MS while a
	 * dumper runs (NULL: never); TRUE stops the render: the dumper is
	 * killed, the HTML parts left are not rendered (a HELD line) and
	 * TrawlRendered.interrupted is set.  The UI answers q this way. */
	gboolean (*interrupt) (gpointer data);
	gpointer interrupt_data;
	/* Mailing-list footers are folded (a QUOTE_FOLD line of ->depth 0 and
	 * SIGNATURE lines sharing its fold_id); a line this regular
	 * expression (GRegex) matches starts one too.  NULL or "": the
	 * built-in rule only.  Borrowed. */
	const char *footer_regex;
} TrawlRenderOptions;

/* Renders the message at PATH.  Never fails on a broken message: what cannot
 * be rendered becomes TRAWL_LINE_WARNING lines.  Fails (NULL, ERROR set) only
 * when the file cannot be read at all.  The result is newly allocated and
 * the caller's, freed with trawl_rendered_free(); it keeps nothing of PATH's
 * contents or of OPTS (NULL: every default). */
TrawlRendered *trawl_mime_render_file (const char *path, const TrawlRenderOptions *opts, GError **error);
/* Same, from LEN bytes at DATA (NULL: none), which are only read during the
 * call: the result copies what it keeps and is the caller's to free. */
TrawlRendered *trawl_mime_render_bytes (const char *data, gsize len, const TrawlRenderOptions *opts);
/* Frees R and everything it owns (NULL: nothing). */
void trawl_rendered_free (TrawlRendered *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlRendered, trawl_rendered_free)

/* A text form of the rendered lines for goldens: one line per TrawlLine,
 * "TYPE[depth] text", every text sanitised.  Newly allocated, the caller's to
 * g_free(); R (NULL: "") is only read. */
char *trawl_rendered_dump (const TrawlRendered *r);

/* Writes part INDEX of the message at PATH, decoded, to OUT_PATH (never
 * following or overwriting: fails if OUT_PATH exists).  Errors are in
 * G_FILE_ERROR: EXIST when OUT_PATH exists, NOENT when there is no part
 * INDEX, otherwise from errno.  Keeps nothing: the message is read, the
 * part written and everything freed before it returns. */
gboolean trawl_mime_save_part (const char *path, int index, const char *out_path, GError **error);

/* One attachment of a message, as trawl_mime_attachments_bytes() finds it:
 * a leaf part with TrawlPart.is_attachment, numbered as TrawlRendered.parts
 * and trawl_mime_save_part() number them (INDEX).  Strings are valid UTF-8,
 * not sanitised, and only valid during the callback. */
typedef struct {
	int index;		/* the part's number: trawl_mime_save_part (path, index, ...) */
	const char *content_type;	/* "application/pdf", lower case */
	const char *filename;	/* decoded (RFC 2047/2231), or NULL */
	guint64 size;		/* decoded size in bytes */
	guint8 sha256[32];	/* of the decoded content */
	guint nest;		/* message/rfc822 nesting */
} TrawlAttachmentInfo;
typedef void (*TrawlAttachmentFn) (const TrawlAttachmentInfo *att, gpointer data);

/* Calls FN for each attachment of the message in the LEN bytes at DATA
 * (only read during the call), in part order; each attachment is decoded
 * once, into its SHA-256 and size, and nothing of it kept.  Returns how
 * many there were. */
guint trawl_mime_attachments_bytes (const char *data, gsize len, TrawlAttachmentFn fn, gpointer user_data);

/* A new private (0700) directory for parts handed to other programs,
 * g_get_tmp_dir()/trawl-open-PID-XXXXXX, PID this process's: newly
 * allocated, the caller's to g_free() (and to remove).  NULL and ERROR set
 * when it cannot be made. */
char *trawl_mime_temp_dir_new (GError **error);

/* Removes what trawl_mime_temp_dir_new() made for processes that are gone
 * (killed before they could clean up): under g_get_tmp_dir(), every
 * trawl-open-PID-XXXXXX directory (not a symbolic link) owned by this user
 * whose PID is not a running process (kill(PID, 0) fails with ESRCH), with
 * the files in it.  Never anything else; never follows a link.  Returns how
 * many directories it removed. */
guint trawl_mime_temp_dirs_clean (void);

/* The name trawl would save an attachment under: NAME's base name (after
 * the last '/' or '\\'), valid UTF-8, without control, bidi or separator
 * characters, without leading '.', '-' or white space, at most 200 bytes
 * (keeping a short extension); "attachment-INDEX" when nothing is left or NAME
 * is NULL.  Newly allocated, the caller's to g_free(); NAME is only read.
 * (Also in TrawlPart.safe_filename.) */
char *trawl_mime_safe_filename (const char *name, int index);

/* The bare addresses ("a@b.example") in an address header VALUE, parsed by
 * GMime (groups and quoted names handled), appended to OUT as newly allocated
 * lower-case strings that OUT then holds (give OUT a g_free free function). */
void trawl_mime_addresses (const char *value, GPtrArray *out);

/* The mailboxes of the From, To, Cc and Bcc headers of a message whose
 * header block (up to the blank line; a body after it is ignored) is the
 * LEN bytes at HEAD, parsed by GMime: groups opened, display names decoded
 * (RFC 2047, raw 8-bit text in the usual fallback charsets), NULL when
 * there is none; addresses lower-cased, never empty.  FN is called for
 * each, in header order; KIND is 0 for From, 1 To, 2 Cc, 3 Bcc.  The
 * strings are only valid during the call. */
typedef void (*TrawlMailboxFn) (int kind, const char *name, const char *addr, gpointer data);
void trawl_mime_header_mailboxes (const char *head, gsize len, TrawlMailboxFn fn, gpointer data);

/* Must be called once before any other function here (g_mime_init). */
void trawl_mime_init (void);

G_END_DECLS

#endif
