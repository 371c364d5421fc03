/* trawl-gen-corpus: write a realistic, deterministic synthetic mail corpus.
 *
 *   trawl-gen-corpus [-o DIR] [--mbox FILE] [--eml-dir DIR] [-n N] [--seed S]
 *                    [--giant K] [--quiet]
 *
 * The same messages go to any of three forms: a maildir (-o), one mboxrd file
 * (--mbox: what `trawl import` is fed in the demo), and a directory of .eml
 * files (--eml-dir).  Given together, they hold the same bytes per message.
 *
 * The corpus exists to exercise trawl the way a real archive would: real
 * Message-ID / In-Reply-To / References chains with heavy-tailed thread sizes
 * and deep reply trees, a few hundred correspondents with Zipf-like activity
 * and international names (RFC 2047 in headers, RFC 2231 in filenames),
 * text/plain in UTF-8 and ISO-8859-1, multipart/alternative, html-only,
 * attachments, and a handful of deliberately hostile messages (terminal
 * escape sequences, C1 controls, bidi overrides) for the sanitiser.
 *
 * Determinism: every random choice comes from one GRand seeded with --seed and
 * drawn in a fixed order; dates derive from a fixed epoch; MIME boundaries and
 * Message-IDs are set explicitly so GMime never invents random ones.  Same
 * arguments, byte-identical output.  Progress goes to stderr only.
 *
 * MIME is built with GMime objects and serialised with
 * g_mime_object_write_to_stream(), so the encoding (quoted-printable, base64,
 * RFC 2047 words, RFC 2231 parameters, header folding) is GMime's, not ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <gmime/gmime.h>

#define N_ELEMENTS(a) ((guint) G_N_ELEMENTS (a))

/* 2015-01-01 00:00:00 UTC; thread start dates spread over 8 years from here. */
#define EPOCH_UNIX   G_GINT64_CONSTANT (1420070400)
#define SPAN_SECONDS (G_GINT64_CONSTANT (8) * 365 * 24 * 3600)

/* Mail dated in the last NEW_WINDOW seconds of the span (and after it:
 * long threads run on) is "unread on arrival" and goes to new/; about 1%. */
#define NEW_WINDOW   (G_GINT64_CONSTANT (60) * 24 * 3600)

#define N_PEOPLE      320
#define GIANT_MIN     2000
#define HOSTILE_EVERY 500

/* ------------------------------------------------------------------------
 * Vocabulary
 * ---------------------------------------------------------------------- */

static const char *const first_names[] = {
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
	"Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan",
	"Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel",
	"Nancy", "Matthew", "Emily", "Andrew", "Donna", "Kevin", "Amanda",
	"Brian", "Melissa", "George", "Rebecca", "Edward", "Laura", "Ryan",
	"Amy", "Eric", "Anna", "Peter", "Rachel", "Henry", "Julia", "Hans",
	"Klaus", "Pieter", "Lars", "Ingrid", "Astrid", "Mikko", "Marco",
	"Giulia", "Luca", "Pablo", "Lucia", "Ahmed", "Fatima", "Ravi", "Priya",
	"Kwame", "Amara", "Ivan", "Olga", "Piotr", "Tomasz", "Jan", "Eva",
};

static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
	"Davis", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams",
	"Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Parker",
	"Evans", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
	"Cooper", "Reed", "Bailey", "Kelly", "Howard", "Ward", "Patel", "Chen",
	"Kim", "Novak", "Schmidt", "Rossi", "Jensen", "Virtanen", "Kowalski",
};

/* Non-ASCII display names with the ASCII local part their owner would use. */
static const struct { const char *name, *local; } intl_names[] = {
	{ "José Müller", "jose.mueller" },
	{ "Zoë Ångström", "zoe.angstrom" },
	{ "François Lefèvre", "francois.lefevre" },
	{ "Søren Kierkegård", "soren.k" },
	{ "Łukasz Żółkiewski", "lukasz.z" },
	{ "Jürgen Groß", "juergen.gross" },
	{ "Ana Lúcia Gonçalves", "ana.goncalves" },
	{ "Björn Þórsson", "bjorn.thorsson" },
	{ "Íñigo Peña", "inigo.pena" },
	{ "Antonín Dvořák", "antonin.dvorak" },
	{ "Çağla Yılmaz", "cagla.yilmaz" },
	{ "Nguyễn Văn An", "an.nguyen" },
	{ "王芳", "wang.fang" },
	{ "李伟", "li.wei" },
	{ "张伟", "zhang.wei" },
	{ "陈静", "chen.jing" },
	{ "山田太郎", "taro.yamada" },
	{ "佐藤花子", "hanako.sato" },
	{ "鈴木 一郎", "ichiro.suzuki" },
	{ "김민준", "minjun.kim" },
	{ "Дмитрий Иванов", "dmitry.ivanov" },
	{ "Ольга Смирнова", "olga.smirnova" },
	{ "Сергей Кузнецов", "sergey.kuznetsov" },
	{ "Αλέξανδρος Παπαδόπουλος", "alexandros.p" },
	{ "Μαρία Γεωργίου", "maria.georgiou" },
	{ "דוד כהן", "david.cohen" },
	{ "محمد علي", "mohammed.ali" },
	{ "Renée Côté", "renee.cote" },
	{ "Håkon Nærø", "hakon.naero" },
	{ "Gülşen Öztürk", "gulsen.ozturk" },
	{ "Ingrid Ødegård", "ingrid.odegard" },
	{ "Fernando Muñoz", "fernando.munoz" },
	{ "Chloé Dubois", "chloe.dubois" },
	{ "Małgorzata Wiśniewska", "malgorzata.w" },
	{ "Óscar Núñez", "oscar.nunez" },
	{ "Tomáš Novák", "tomas.novak" },
	{ "Anaïs Noël", "anais.noel" },
	{ "田中 涼", "ryo.tanaka" },
};

static const char *const domains[] = {
	"example.org", "example.com", "example.net", "mail.example.de",
	"corp.example.fr", "uni.example.edu", "example.co.jp", "example.cn",
	"example.ru", "post.example.se", "dev.example.io",
};

/* UTC offsets in minutes; DST is ignored, a fixed offset per person. */
static const int tz_offsets[] = {
	-480, -420, -300, -300, -240, -180, 0, 0, 60, 60, 60, 120, 180, 330,
	480, 480, 540, 600, 720,
};

static const struct { const char *name, *addr, *id; } lists[] = {
	{ "Trawl developers", "trawl-dev@lists.example.org", "trawl-dev.lists.example.org" },
	{ "Users' discussion", "users@lists.example.org", "users.lists.example.org" },
	{ "Announcements", "announce@lists.example.org", "announce.lists.example.org" },
	{ "Kernel build farm", "buildfarm@lists.example.net", "buildfarm.lists.example.net" },
	{ "Projekt Übersicht", "projekt@lists.example.de", "projekt.lists.example.de" },
};

static const char *const subj_verbs[] = {
	"Fix", "Add", "Remove", "Refactor", "Document", "Speed up", "Handle",
	"Improve", "Rework", "Question about", "Problem with", "Crash in",
	"Proposal:", "Thoughts on", "Regression in", "Cleanup of",
};

static const char *const subj_nouns[] = {
	"the search cache", "thread view", "config parser", "tag completion",
	"IMAP sync", "date formatting", "unicode width handling",
	"locale handling", "the resize handler", "attachment saving",
	"HTML rendering", "address book lookup", "the pager", "mailbox import",
	"signature verification", "the build system", "the test suite",
	"keybindings", "colour themes", "startup time", "memory usage",
	"database upgrade", "quoting of replies", "draft autosave",
};

static const char *const subj_tails[] = {
	"", "", "", "", " on arm64", " after upgrade", " with large mailboxes",
	" in 0.3", " (again)", " under tmux", " for 1.0", " on Debian",
};

static const char *const subj_misc[] = {
	"Meeting notes", "Lunch on Friday?", "Quarterly report",
	"Travel plans", "Budget review", "Welcome aboard", "Holiday schedule",
	"Server maintenance tonight", "Conference talk draft", "Weekly sync",
	"Offsite agenda", "Password rotation", "New laptop setup",
	"Reading group: next book", "Release checklist",
};

/* Non-ASCII subjects: Latin-1-representable ones may go out as ISO-8859-1
 * encoded words, the rest as UTF-8; GMime picks B or Q per word. */
static const char *const subj_intl[] = {
	"Réunion de l'équipe — ordre du jour",
	"Grüße aus München",
	"Über die neue Version",
	"Café et croissants vendredi ?",
	"Señales de vida: año nuevo",
	"Søknad om ferie",
	"Zażółć gęślą jaźń — test",
	"naïve façade: résumé draft",
	"Straße gesperrt: Umleitung über Köln",
	"会议记录：第三季度计划",
	"关于新版本的问题",
	"プロジェクトの進捗について",
	"来週の打ち合わせ",
	"회의 일정 안내",
	"Отчёт за неделю",
	"Вопрос по сборке",
	"Σύσκεψη την Παρασκευή",
	"Release party 🎉",
	"🚀 Launch checklist",
	"Bug 🐛 in tag completion",
	"Thanks! 🙏",
	"שלום — פגישה ביום שני",
	"مرحبا بالجميع",
};

static const char *const words[] = {
	"the", "a", "we", "it", "this", "that", "should", "could", "would",
	"probably", "maybe", "actually", "really", "just", "also", "still",
	"patch", "build", "test", "release", "branch", "commit", "review",
	"config", "option", "default", "server", "client", "cache", "index",
	"thread", "message", "mailbox", "query", "result", "error", "warning",
	"crash", "bug", "fix", "issue", "change", "behaviour", "version",
	"works", "fails", "breaks", "looks", "seems", "needs", "makes", "takes",
	"fine", "wrong", "slow", "fast", "better", "worse", "simple", "odd",
	"before", "after", "when", "because", "although", "unless", "until",
	"here", "there", "again", "today", "tomorrow", "yesterday", "soon",
	"I", "you", "they", "our", "your", "their", "some", "every", "no",
	"think", "agree", "suggest", "tried", "noticed", "checked", "wonder",
	"meeting", "schedule", "budget", "plan", "document", "draft", "notes",
	"week", "month", "quarter", "team", "project", "customer", "deadline",
	"with", "without", "for", "from", "into", "about", "on", "in", "of",
	"to", "and", "but", "or", "not", "is", "are", "was", "be", "have",
};

/* Whole sentences in other languages, sprinkled into UTF-8 bodies. */
static const char *const intl_lines[] = {
	"Grüße aus München, und danke für die schnelle Antwort.",
	"Merci beaucoup, à bientôt !",
	"Muchas gracias por la información, nos vemos mañana.",
	"Tack så mycket för hjälpen.",
	"谢谢你的帮助，我们明天再讨论。",
	"よろしくお願いします。来週までに確認します。",
	"감사합니다. 내일 다시 연락드리겠습니다.",
	"Спасибо, посмотрю завтра утром.",
	"Ευχαριστώ πολύ για την απάντηση.",
	"Dziękuję, zajmę się tym jutro.",
	"Sounds good 👍 — ship it 🚢",
};

/* Sentences that survive conversion to ISO-8859-1. */
static const char *const latin1_lines[] = {
	"Grüße aus Köln, bis nächste Woche.",
	"Le café est prêt, à tout à l'heure.",
	"Año nuevo, vida nueva: ¿qué tal?",
	"Smørrebrød på fredag, hilsen Søren.",
	"Größe: 12 m², Preis: 300 € nein, 300 EUR.",
	"Naïve coöperation: the façade of the résumé.",
};

static const char *const cities[] = {
	"Berlin", "Paris", "Tokyo", "São Paulo", "Zürich", "Kraków", "Montréal",
	"Reykjavík", "Lisbon", "Seoul",
};

static const char *const attach_names_ascii[] = {
	"report.pdf", "minutes-2016.pdf", "invoice_0042.pdf", "screenshot.png",
	"diagram.png", "scan.pdf", "logo.png",
};

/* Non-ASCII filenames: GMime writes these as RFC 2231 parameters. */
static const char *const attach_names_intl[] = {
	"Präsentation_Übersicht.pdf", "報告書.pdf", "отчёт.png", "naïve café.pdf",
	"会议纪要.pdf", "Straße.png", "résumé.pdf",
};

static const char *const mailers[] = {
	"Mutt/1.10.1 (2018-07-13)", "NeoMutt/20220429", "alot/0.10",
	"Thunderbird/102.5.0", "Evolution 3.46.4", "Emacs/28.2 notmuch/0.37",
	"Apple Mail (2.3696.120.41.1.1)", "Microsoft Outlook 16.0", "aerc/0.14.0",
};

/* Hostile payloads: terminal escapes, C1 controls, bidi overrides.  They
 * are written into headers and bodies so trawl's sanitiser gets exercised
 * by the demo archive; a terminal that interpreted them would clear the
 * screen, set its title or write the clipboard. */
static const struct { const char *from_name, *subject, *body; } hostile[] = {
	{ "Billing Dept", "Invoice \x1b[2J\x1b[H overdue",
	  "Your invoice is overdue.\x1b[2J\x1b[HThe screen was just cleared." },
	{ "Admin\x1b]0;pwned\x07", "Your account needs attention",
	  "This From name sets the terminal title.\x1b]0;pwned\x07" },
	{ "Clipboard Helper", "Clipboard \x1b]52;c;cm0gLXJmIH4K\x07 test",
	  "OSC 52 writes the clipboard:\x1b]52;c;cm0gLXJmIH4K\x07 end." },
	{ "C1 Sender", "C1 \xc2\x9b" "31mRED\xc2\x9b" "0m and \xc2\x9d" "0;title\xc2\x9c here",
	  "C1 CSI:\xc2\x9b" "31m red\xc2\x9b" "0m, C1 OSC:\xc2\x9d" "0;t\xc2\x9c done." },
	{ "Security Team \xe2\x80\xae" "redro\xe2\x80\xac", "invoice_\xe2\x80\xae" "fdp.exe",
	  "Right-to-left override: \xe2\x80\xae" "abc\xe2\x80\xac and isolate \xe2\x81\xa6x\xe2\x81\xa9." },
	{ "Hidden\x1b[8m secret\x1b[0m", "\x1b[31mURGENT\x1b[0m\x1b[1A\x1b[2K hidden line",
	  "Cursor up and erase:\x1b[1A\x1b[2K\x08\x08\x08\x07 bell and backspaces." },
	{ "DCS Sender", "Device control \x1bP1$r0m\x1b\\ and \x1b[6n query",
	  "DCS string:\x1bP+q544e\x1b\\ and a device status report \x1b[6n." },
};

/* ------------------------------------------------------------------------
 * State
 * ---------------------------------------------------------------------- */

typedef struct {
	char *name;      /* display name, UTF-8; NULL for a bare address */
	char *addr;
	const char *charset; /* charset for RFC 2047 words, NULL = GMime's choice */
	int tz;          /* minutes east of UTC */
	const char *mailer;
} Person;

typedef struct {
	guint size;
	int hostile;     /* index into hostile[], or -1 */
	gboolean giant;
	gboolean raw;    /* hostile headers as raw bytes, not RFC 2047 words */
} ThreadPlan;

typedef struct {
	gint64 time;     /* seconds since the Unix epoch, UTC */
	int parent;      /* index in the thread, -1 for the root */
	int author;      /* index into people */
	int depth;
	char *msgid;     /* without angle brackets */
	char *body;      /* the plain-text body, kept for children to quote */
} Msg;

typedef struct {
	GRand *rng;
	Person people[N_PEOPLE];
	double zipf_cdf[N_PEOPLE];
	const char *dir;     /* the maildir, or NULL */
	FILE *mbox;          /* the mbox file, or NULL */
	const char *mbox_path;
	const char *eml_dir; /* the .eml directory, or NULL */
	const char *outputs; /* where it all goes, for the progress line */
	guint total;      /* messages to write */
	int width;        /* digits in file names */
	guint written;
	guint threads;
	gboolean quiet;
	gboolean tty;
	gint64 t0;
	GThreadPool *writer; /* one thread writing the files */
	guint *slots;        /* placeholder files in tmp/, in inode order */
	guint boundary_seq;
} Gen;

/* ------------------------------------------------------------------------
 * Randomness helpers (all draws from the one seeded GRand)
 * ---------------------------------------------------------------------- */

static guint
rnd (Gen *g, guint n)
{
	return n ? (guint) g_rand_int_range (g->rng, 0, (gint32) n) : 0;
}

static double
rndd (Gen *g)
{
	return g_rand_double (g->rng);
}

static gboolean
chance (Gen *g, double p)
{
	return g_rand_double (g->rng) < p;
}

#define PICK(g, arr) ((arr)[rnd ((g), N_ELEMENTS (arr))])

/* Pareto-distributed integer in [lo, hi]: the heavy tail of thread sizes.
 * Draws above hi are redrawn rather than clamped, so there is no spike at hi. */
static guint
pareto (Gen *g, double lo, double hi, double alpha)
{
	for (int tries = 0; tries < 32; tries++) {
		double u = 1.0 - rndd (g);  /* (0, 1] */
		double v = lo * pow (u, -1.0 / alpha);
		if (v < hi + 1)
			return (guint) v;
	}
	return (guint) lo;
}

static int
zipf_person (Gen *g)
{
	double u = rndd (g);
	int lo = 0, hi = N_PEOPLE - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (g->zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ------------------------------------------------------------------------
 * Correspondents
 * ---------------------------------------------------------------------- */

static void
people_init (Gen *g)
{
	guint intl = 0;
	double sum = 0;

	for (int i = 0; i < N_PEOPLE; i++) {
		Person *p = &g->people[i];
		const char *domain = PICK (g, domains);
		/* Every sixth person (so some of the busiest too) has a
		 * non-ASCII name, until the table runs out. */
		if (i % 6 == 2 && intl < N_ELEMENTS (intl_names)) {
			p->name = g_strdup (intl_names[intl].name);
			p->addr = g_strdup_printf ("%s@%s", intl_names[intl].local, domain);
			/* Latin names sometimes travel as ISO-8859-1 words. */
			p->charset = (intl % 3 == 0) ? "iso-8859-1" : NULL;
			intl++;
		} else {
			const char *f = PICK (g, first_names), *l = PICK (g, last_names);
			char *local = g_ascii_strdown (f, -1), *ll = g_ascii_strdown (l, -1);
			guint style = rnd (g, 20);
			p->addr = g_strdup_printf ("%s.%s%u@%s", local, ll, (guint) i, domain);
			if (style == 0)
				p->name = NULL;                          /* bare address */
			else if (style == 1)
				p->name = g_strdup_printf ("%s, %s", l, f); /* needs quoting */
			else
				p->name = g_strdup_printf ("%s %s", f, l);
			g_free (local);
			g_free (ll);
		}
		if (p->charset) {
			char *l1 = g_convert (p->name, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
			if (!l1)
				p->charset = NULL;  /* not Latin-1: GMime picks UTF-8 */
			g_free (l1);
		}
		p->tz = PICK (g, tz_offsets);
		p->mailer = PICK (g, mailers);
		sum += 1.0 / pow (i + 1, 1.07);
		g->zipf_cdf[i] = sum;
	}
	for (int i = 0; i < N_PEOPLE; i++)
		g->zipf_cdf[i] /= sum;
	g->zipf_cdf[N_PEOPLE - 1] = 1.0;
}

static void
people_free (Gen *g)
{
	for (int i = 0; i < N_PEOPLE; i++) {
		g_free (g->people[i].name);
		g_free (g->people[i].addr);
	}
}

/* ------------------------------------------------------------------------
 * Thread plan: sizes and where the hostile messages go
 * ---------------------------------------------------------------------- */

static guint
draw_thread_size (Gen *g)
{
	double u = rndd (g);
	if (u < 0.45)
		return 1;
	if (u < 0.87)
		return 1 + pareto (g, 1, 4, 1.2);              /* 2..5, mostly 2 */
	if (u < 0.985)
		return pareto (g, 6, 50, 1.3);                 /* 6..50 */
	return pareto (g, 50, 500, 1.1);                       /* 50..500 */
}

static ThreadPlan *
plan_threads (Gen *g, guint n, int giant_k, guint *count)
{
	GArray *plans = g_array_new (FALSE, FALSE, sizeof (ThreadPlan));
	guint left = n;
	guint n_hostile = n >= 50 ? (n + HOSTILE_EVERY - 1) / HOSTILE_EVERY : 0;

	if (giant_k > 0) {
		/* Giant threads may take at most a quarter of the corpus. */
		guint budget = n / 4;
		guint size = GIANT_MIN + rnd (g, 600);
		if ((guint64) size * (guint) giant_k > budget)
			size = budget / (guint) giant_k;
		for (int i = 0; i < giant_k && size > 0; i++) {
			ThreadPlan t = { size, -1, TRUE, FALSE };
			g_array_append_val (plans, t);
			left -= size;
		}
	}
	for (guint i = 0; i < n_hostile && left > 0; i++) {
		/* A hostile root with a reply or two quoting it. */
		guint size = 1 + rnd (g, 3);  /* not inside MIN(): it evaluates twice */
		ThreadPlan t = { MIN (left, size), (int) (i % N_ELEMENTS (hostile)), FALSE, i % 2 == 0 };
		g_array_append_val (plans, t);
		left -= t.size;
	}
	while (left > 0) {
		guint size = draw_thread_size (g);
		ThreadPlan t = { MIN (left, size), -1, FALSE, FALSE };
		g_array_append_val (plans, t);
		left -= t.size;
	}
	/* Shuffle so the giants and hostiles land anywhere in the numbering. */
	for (guint i = plans->len; i > 1; i--) {
		guint j = rnd (g, i);
		ThreadPlan tmp = g_array_index (plans, ThreadPlan, i - 1);
		g_array_index (plans, ThreadPlan, i - 1) = g_array_index (plans, ThreadPlan, j);
		g_array_index (plans, ThreadPlan, j) = tmp;
	}
	*count = plans->len;
	return (ThreadPlan *) g_array_free (plans, FALSE);
}

/* ------------------------------------------------------------------------
 * Text
 * ---------------------------------------------------------------------- */

/* RFC 5322 date in the sender's zone, without locale-dependent names. */
static char *
format_date (gint64 t, int tz)
{
	static const char *const wday[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	GDateTime *dt = g_date_time_new_from_unix_utc (t + (gint64) tz * 60);
	int atz = ABS (tz);
	char *s = g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	                           wday[g_date_time_get_day_of_week (dt) - 1],
	                           g_date_time_get_day_of_month (dt),
	                           mon[g_date_time_get_month (dt) - 1],
	                           g_date_time_get_year (dt),
	                           g_date_time_get_hour (dt),
	                           g_date_time_get_minute (dt),
	                           g_date_time_get_second (dt),
	                           tz < 0 ? '-' : '+', atz / 60, atz % 60);
	g_date_time_unref (dt);
	return s;
}

static void
append_sentence (Gen *g, GString *s)
{
	guint n = 4 + rnd (g, 12);
	for (guint i = 0; i < n; i++) {
		const char *w = PICK (g, words);
		if (i == 0) {
			g_string_append_c (s, g_ascii_toupper (w[0]));
			g_string_append (s, w + 1);
		} else {
			g_string_append_c (s, ' ');
			g_string_append (s, w);
		}
	}
	g_string_append (s, chance (g, 0.15) ? "? " : ". ");
}

/* Greedy word wrap of one paragraph at 72 columns (bytes; good enough). */
static void
append_wrapped (GString *out, const char *text)
{
	char **w = g_strsplit (text, " ", -1);
	guint col = 0;
	for (char **p = w; *p; p++) {
		size_t len = strlen (*p);
		if (!len)
			continue;
		if (col && col + 1 + len > 72) {
			g_string_append_c (out, '\n');
			col = 0;
		} else if (col) {
			g_string_append_c (out, ' ');
			col++;
		}
		g_string_append (out, *p);
		col += (guint) len;
	}
	g_string_append_c (out, '\n');
	g_strfreev (w);
}

/* The new text of a message: 1-4 paragraphs, an occasional foreign line,
 * rarely a long pasted log so message sizes get a tail. */
static void
append_own_text (Gen *g, GString *out, gboolean latin1)
{
	guint paras = 1 + rnd (g, 4);
	for (guint i = 0; i < paras; i++) {
		GString *p = g_string_new (NULL);
		guint sentences = 1 + rnd (g, 4);
		for (guint k = 0; k < sentences; k++)
			append_sentence (g, p);
		g_strchomp (p->str);
		append_wrapped (out, p->str);
		g_string_append_c (out, '\n');
		g_string_free (p, TRUE);
	}
	if (latin1 || chance (g, 0.12)) {
		g_string_append (out, latin1 ? PICK (g, latin1_lines) : PICK (g, intl_lines));
		g_string_append (out, "\n\n");
	}
	if (chance (g, 0.02)) {
		guint lines = 20 + rnd (g, 400);
		for (guint i = 0; i < lines; i++)
			g_string_append_printf (out, "[%6u.%03u] worker %u: %s %s (code %u)\n",
			                        i * 7 + rnd (g, 7), rnd (g, 1000), rnd (g, 16),
			                        PICK (g, words), PICK (g, words), rnd (g, 300));
		g_string_append_c (out, '\n');
	}
}

/* Quote the parent: every line gets "> ", so already-quoted lines nest as
 * "> >".  The parent's signature is dropped and long quotes are trimmed. */
static void
append_quote (GString *out, const Msg *parent, const Person *pa, int tz)
{
	char *date = format_date (parent->time, tz);
	const char *line = parent->body;
	guint n = 0;

	g_string_append_printf (out, "On %s, %s <%s> wrote:\n", date,
	                        pa->name ? pa->name : pa->addr, pa->addr);
	g_free (date);
	while (*line && n < 14) {
		const char *nl = strchr (line, '\n');
		size_t len = nl ? (size_t) (nl - line) : strlen (line);
		if (len == 3 && !strncmp (line, "-- ", 3))
			break;
		g_string_append_c (out, '>');
		if (len)
			g_string_append_c (out, ' ');
		g_string_append_len (out, line, (gssize) len);
		g_string_append_c (out, '\n');
		n++;
		line = nl ? nl + 1 : line + len;
	}
	if (*line && n == 14)
		g_string_append (out, "> [...]\n");
	g_string_append_c (out, '\n');
}

static char *
make_body (Gen *g, Msg *msgs, int k, int hostile_idx, gboolean latin1)
{
	GString *out = g_string_new (NULL);
	const Msg *m = &msgs[k];
	const Person *me = &g->people[m->author];
	double style = rndd (g);

	if (hostile_idx >= 0 && m->parent < 0) {
		g_string_append (out, hostile[hostile_idx].body);
		g_string_append (out, "\n\n");
	}
	if (m->parent >= 0 && style < 0.60) {           /* bottom-post */
		const Msg *pm = &msgs[m->parent];
		append_quote (out, pm, &g->people[pm->author], me->tz);
		append_own_text (g, out, latin1);
	} else if (m->parent >= 0 && style < 0.85) {    /* top-post */
		const Msg *pm = &msgs[m->parent];
		append_own_text (g, out, latin1);
		append_quote (out, pm, &g->people[pm->author], me->tz);
	} else {
		append_own_text (g, out, latin1);
	}
	g_string_append_printf (out, "-- \n%s\n", me->name ? me->name : me->addr);
	return g_string_free (out, FALSE);
}

static char *
html_from_plain (const char *plain)
{
	GString *h = g_string_new ("<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n<p>");
	char **lines = g_strsplit (plain, "\n", -1);
	gboolean in_quote = FALSE;

	for (char **l = lines; *l; l++) {
		gboolean q = (*l)[0] == '>';
		char *esc;
		if (q != in_quote) {
			g_string_append (h, q ? "</p>\n<blockquote type=\"cite\"><p>"
			                      : "</p></blockquote>\n<p>");
			in_quote = q;
		}
		if (!**l) {
			g_string_append (h, "</p>\n<p>");
			continue;
		}
		esc = g_markup_escape_text (q ? *l + 1 : *l, -1);
		g_string_append (h, esc);
		g_string_append (h, "<br>\n");
		g_free (esc);
	}
	g_string_append (h, in_quote ? "</p></blockquote>\n" : "</p>\n");
	g_string_append (h, "</body>\n</html>\n");
	g_strfreev (lines);
	return g_string_free (h, FALSE);
}

/* ------------------------------------------------------------------------
 * MIME parts
 * ---------------------------------------------------------------------- */

static void
set_content (GMimePart *part, const void *data, size_t len, GMimeContentEncoding enc)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer (data, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream (s, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content (part, w);
	g_mime_part_set_content_encoding (part, enc);
	g_object_unref (w);
	g_object_unref (s);
}

static gboolean
is_ascii (const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s >= 0x80)
			return FALSE;
	return TRUE;
}

static GMimeObject *
text_part (Gen *g, const char *subtype, const char *utf8, gboolean latin1)
{
	GMimeTextPart *tp = g_mime_text_part_new_with_subtype (subtype);
	GMimeContentEncoding enc;

	if (latin1) {
		/* Unrepresentable characters (a CJK name in the attribution
		 * line) become '?', as a real Latin-1 mailer would do. */
		gsize len = 0;
		char *l1 = g_convert_with_fallback (utf8, -1, "ISO-8859-1", "UTF-8", "?",
		                                    NULL, &len, NULL);
		enc = chance (g, 0.5) ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
		                      : GMIME_CONTENT_ENCODING_8BIT;
		set_content (GMIME_PART (tp), l1, len, enc);
		g_mime_text_part_set_charset (tp, "iso-8859-1");
		g_free (l1);
	} else {
		if (is_ascii (utf8) && !chance (g, 0.1))
			enc = GMIME_CONTENT_ENCODING_7BIT;
		else if (!strcmp (subtype, "html") || chance (g, 0.5))
			enc = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
		else
			enc = GMIME_CONTENT_ENCODING_8BIT;
		set_content (GMIME_PART (tp), utf8, strlen (utf8), enc);
		g_mime_text_part_set_charset (tp, is_ascii (utf8) && chance (g, 0.3) ? "us-ascii" : "utf-8");
	}
	return GMIME_OBJECT (tp);
}

static GMimeMultipart *
multipart (Gen *g, const char *subtype)
{
	GMimeMultipart *mp = g_mime_multipart_new_with_subtype (subtype);
	/* Explicit boundaries: GMime would otherwise make random ones. The
	 * "=_" cannot occur in base64 or quoted-printable output. */
	char *b = g_strdup_printf ("=_trawl_%08x_%u", g_rand_int (g->rng), ++g->boundary_seq);
	g_mime_multipart_set_boundary (mp, b);
	g_free (b);
	return mp;
}

/* A small deterministic binary: a plausible header then seeded bytes. */
static GMimeObject *
attachment_part (Gen *g, gboolean intl_name)
{
	const char *name = intl_name ? PICK (g, attach_names_intl) : PICK (g, attach_names_ascii);
	gboolean png = g_str_has_suffix (name, ".png");
	GMimePart *part = g_mime_part_new_with_type ("application", "pdf");
	GByteArray *data = g_byte_array_new ();
	guint n = 200 + rnd (g, 600);

	if (png) {
		static const guint8 sig[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
		                              0, 0, 0, 13, 'I', 'H', 'D', 'R' };
		GMimeContentType *ct = g_mime_content_type_new ("image", "png");
		g_mime_object_set_content_type (GMIME_OBJECT (part), ct);
		g_object_unref (ct);
		g_byte_array_append (data, sig, sizeof sig);
	} else {
		static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
		g_byte_array_append (data, (const guint8 *) pdf, sizeof pdf - 1);
	}
	for (guint i = 0; i < n; i++) {
		guint8 b = (guint8) rnd (g, 256);
		g_byte_array_append (data, &b, 1);
	}
	if (!png)
		g_byte_array_append (data, (const guint8 *) "\n%%EOF\n", 7);
	set_content (part, data->data, data->len, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_part_set_filename (part, name);
	g_byte_array_free (data, TRUE);
	return GMIME_OBJECT (part);
}

/* An inline patch, the other common kind of attachment on dev lists. */
static GMimeObject *
patch_part (Gen *g)
{
	GMimeTextPart *tp = g_mime_text_part_new_with_subtype ("x-diff");
	GString *s = g_string_new (NULL);
	guint hunk = 1 + rnd (g, 400);

	g_string_append_printf (s, "diff --git a/src/%s.c b/src/%s.c\n--- a/src/%s.c\n+++ b/src/%s.c\n"
	                        "@@ -%u,4 +%u,5 @@\n", "view", "view", "view", "view", hunk, hunk);
	g_string_append_printf (s, " \tint n = %u;\n-\tif (n > limit)\n+\tif (n >= limit)\n"
	                        "+\t\t/* off by one, see thread */\n \t\treturn -1;\n \treturn n;\n",
	                        rnd (g, 100));
	set_content (GMIME_PART (tp), s->str, s->len, GMIME_CONTENT_ENCODING_7BIT);
	g_mime_text_part_set_charset (tp, "us-ascii");
	g_mime_object_set_disposition (GMIME_OBJECT (tp), "inline");
	g_mime_part_set_filename (GMIME_PART (tp), "fix-off-by-one.patch");
	g_string_free (s, TRUE);
	return GMIME_OBJECT (tp);
}

/* The body structure, by rough real-world frequency. */
static GMimeObject *
make_mime_body (Gen *g, const char *plain, gboolean latin1, gboolean hostile_msg)
{
	double u = hostile_msg ? 0.0 : rndd (g);

	if (latin1 || u < 0.62)
		return text_part (g, "plain", plain, latin1);
	if (u < 0.84) {
		GMimeMultipart *alt = multipart (g, "alternative");
		char *html = html_from_plain (plain);
		GMimeObject *a = text_part (g, "plain", plain, FALSE);
		GMimeObject *b = text_part (g, "html", html, FALSE);
		g_mime_multipart_add (alt, a);
		g_mime_multipart_add (alt, b);
		g_object_unref (a);
		g_object_unref (b);
		g_free (html);
		return GMIME_OBJECT (alt);
	}
	if (u < 0.85) {
		char *html = html_from_plain (plain);
		GMimeObject *h = text_part (g, "html", html, FALSE);
		g_free (html);
		return h;
	}
	{
		GMimeMultipart *mixed = multipart (g, "mixed");
		GMimeObject *first = text_part (g, "plain", plain, FALSE);
		guint n = 1 + (chance (g, 0.2) ? 1 : 0);
		g_mime_multipart_add (mixed, first);
		g_object_unref (first);
		for (guint i = 0; i < n; i++) {
			GMimeObject *a = chance (g, 0.2) ? patch_part (g)
			                                 : attachment_part (g, chance (g, 0.25));
			g_mime_multipart_add (mixed, a);
			g_object_unref (a);
		}
		return GMIME_OBJECT (mixed);
	}
}

/* ------------------------------------------------------------------------
 * Messages
 * ---------------------------------------------------------------------- */

static void
add_person (GMimeMessage *msg, GMimeAddressType type, const Person *p, const char *name_override)
{
	InternetAddressList *l = g_mime_message_get_addresses (msg, type);
	InternetAddress *ia = internet_address_mailbox_new (name_override ? name_override : p->name,
	                                                    p->addr);
	if (p->charset && !name_override)
		internet_address_set_charset (ia, p->charset);
	internet_address_list_add (l, ia);
	g_object_unref (ia);
}

static char *
make_msgid (Gen *g, const Msg *m, guint serial)
{
	const char *at = strchr (g->people[m->author].addr, '@');
	GDateTime *dt = g_date_time_new_from_unix_utc (m->time);
	char *stamp = g_date_time_format (dt, "%Y%m%d%H%M%S");  /* digits only */
	char *id = g_strdup_printf ("%s.%u.%08x@%s", stamp, serial, g_rand_int (g->rng), at + 1);
	g_date_time_unref (dt);
	g_free (stamp);
	return id;
}

static char *
references (const Msg *msgs, int parent, const char *ghost)
{
	/* MUAs trim long chains; keep the root and the 4 nearest ancestors.
	 * In-Reply-To still links every message to its parent.  Longer lists
	 * make `notmuch new` cost grow with refs x thread size: a 750-message
	 * thread indexed 2x slower with 21 references than with 5. */
	GArray *up = g_array_new (FALSE, FALSE, sizeof (int));
	GString *s = g_string_new (NULL);

	for (int p = parent; p >= 0; p = msgs[p].parent)
		g_array_append_val (up, p);
	if (ghost)
		g_string_append_printf (s, "<%s>", ghost);
	for (int i = (int) up->len - 1; i >= 0; i--) {
		if (i >= 4 && i != (int) up->len - 1)
			continue;
		g_string_append_printf (s, "%s<%s>", s->len ? " " : "",
		                        msgs[g_array_index (up, int, i)].msgid);
	}
	g_array_free (up, TRUE);
	return g_string_free (s, FALSE);
}

typedef struct {
	const ThreadPlan *plan;
	Msg *msgs;
	const char *subject;     /* root subject */
	int list;                /* index into lists[], or -1 */
	char *ghost;             /* missing parent of the root, or NULL */
} Thread;

/* Replace a header's encoded form by raw bytes.  GMime would wrap control
 * characters in RFC 2047 words; hostile mail does not bother, so half of
 * the hostile messages carry their escapes as raw bytes. */
static void
set_raw_header (GMimeObject *obj, const char *name, const char *value)
{
	GMimeHeader *h = g_mime_header_list_get_header (g_mime_object_get_header_list (obj), name);
	char *raw = g_strdup_printf (" %s\n", value);
	if (h)
		g_mime_header_set_raw_value (h, raw);
	g_free (raw);
}

static const char *
reply_prefix (Gen *g)
{
	double u = rndd (g);
	return u < 0.90 ? "Re: " : u < 0.94 ? "RE: " : u < 0.97 ? "AW: " : "Re: Re: ";
}

static GMimeMessage *
build_message (Gen *g, Thread *t, int k)
{
	Msg *m = &t->msgs[k];
	const Person *me = &g->people[m->author];
	GMimeMessage *msg = g_mime_message_new (TRUE);
	GMimeObject *obj = GMIME_OBJECT (msg);
	int hostile_idx = (k == 0 && t->plan->hostile >= 0) ? t->plan->hostile : -1;
	gboolean latin1 = hostile_idx < 0 && chance (g, 0.06);
	char *date, *subject, *body;
	GMimeObject *mime;

	add_person (msg, GMIME_ADDRESS_TYPE_FROM, me,
	            hostile_idx >= 0 ? hostile[hostile_idx].from_name : NULL);

	if (t->list >= 0) {
		InternetAddressList *to = g_mime_message_get_addresses (msg, GMIME_ADDRESS_TYPE_TO);
		InternetAddress *ia = internet_address_mailbox_new (lists[t->list].name, lists[t->list].addr);
		internet_address_list_add (to, ia);
		g_object_unref (ia);
		if (m->parent >= 0 && chance (g, 0.3))
			add_person (msg, GMIME_ADDRESS_TYPE_CC, &g->people[t->msgs[m->parent].author], NULL);
	} else {
		int to = m->parent >= 0 ? t->msgs[m->parent].author
		                        : (t->plan->size > 1 ? t->msgs[1 % t->plan->size].author : zipf_person (g));
		if (to == m->author)
			to = (to + 1) % N_PEOPLE;
		add_person (msg, GMIME_ADDRESS_TYPE_TO, &g->people[to], NULL);
		if (chance (g, 0.15))
			add_person (msg, GMIME_ADDRESS_TYPE_CC, &g->people[zipf_person (g)], NULL);
	}

	if (m->parent < 0)
		subject = g_strdup (t->subject);
	else
		subject = g_strconcat (reply_prefix (g), t->subject, NULL);
	{
		/* Latin-1-representable subjects sometimes as ISO-8859-1 words. */
		const char *cs = NULL;
		char *l1 = is_ascii (subject) ? NULL
		         : g_convert (subject, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
		if (l1 && chance (g, 0.5))
			cs = "iso-8859-1";
		g_free (l1);
		g_mime_message_set_subject (msg, subject, cs);
	}
	if (t->plan->raw) {
		char *from = g_strdup_printf ("%s <%s>", hostile[t->plan->hostile].from_name, me->addr);
		if (hostile_idx >= 0)
			set_raw_header (obj, "From", from);
		set_raw_header (obj, "Subject", subject);
		g_free (from);
	}
	g_free (subject);

	date = format_date (m->time, me->tz);
	g_mime_object_set_header (obj, "Date", date, NULL);
	g_free (date);
	g_mime_message_set_message_id (msg, m->msgid);

	if (m->parent >= 0 || t->ghost) {
		const char *pid = m->parent >= 0 ? t->msgs[m->parent].msgid : t->ghost;
		char *irt = g_strdup_printf ("<%s>", pid);
		char *refs = m->parent >= 0 ? references (t->msgs, m->parent, t->ghost)
		                            : g_strdup (irt);
		g_mime_object_set_header (obj, "In-Reply-To", irt, NULL);
		g_mime_object_set_header (obj, "References", refs, NULL);
		g_free (irt);
		g_free (refs);
	}
	if (t->list >= 0) {
		char *lid = g_strdup_printf ("%s <%s>", lists[t->list].name, lists[t->list].id);
		g_mime_object_set_header (obj, "List-Id", lid, NULL);
		g_free (lid);
	}
	g_mime_object_set_header (obj, "User-Agent", me->mailer, NULL);

	body = make_body (g, t->msgs, k, hostile_idx, latin1);
	mime = make_mime_body (g, body, latin1, hostile_idx >= 0);
	g_mime_message_set_mime_part (msg, mime);
	g_object_unref (mime);
	m->body = body;
	return msg;
}

/* ------------------------------------------------------------------------
 * Output
 * ---------------------------------------------------------------------- */

/* Fatal I/O error: "WHAT PATH: strerror". */
static void
die (const char *what, const char *path, int err)
{
	fprintf (stderr, "trawl-gen-corpus: %s %s%s%s\n", what, path,
	         err ? ": " : "", err ? g_strerror (err) : "");
	exit (1);
}

static void
write_file_flags (const char *path, const guint8 *data, size_t len, int flags)
{
	int fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		die ("cannot open", path, errno);
	while (len > 0) {
		ssize_t n = write (fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die ("cannot write", path, errno);
		data += n;
		len -= (size_t) n;
	}
	if (close (fd) < 0)
		die ("cannot write", path, errno);
}

/* An existing file (a maildir slot). */
static void
write_file (const char *path, const guint8 *data, size_t len)
{
	write_file_flags (path, data, len, 0);
}

/* One message to the mbox, the mboxrd way: a "From " line (the envelope
 * sender and the date in UTC, asctime style), the message with one more '>'
 * on every line that matches ^>*From , and a blank line.  Undoing that
 * gives back exactly the bytes the maildir file holds. */
static void
mbox_append (Gen *g, const guint8 *data, size_t len, gint64 time, const char *sender)
{
	static const char *const wday[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	GDateTime *dt = g_date_time_new_from_unix_utc (time);
	size_t i = 0;

	fprintf (g->mbox, "From %s %s %s %2d %02d:%02d:%02d %04d\n", sender,
	         wday[g_date_time_get_day_of_week (dt) - 1], mon[g_date_time_get_month (dt) - 1],
	         g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
	         g_date_time_get_minute (dt), g_date_time_get_second (dt), g_date_time_get_year (dt));
	g_date_time_unref (dt);
	while (i < len) {
		const guint8 *nl = memchr (data + i, '\n', len - i);
		size_t end = nl ? (size_t) (nl - data) + 1 : len;
		size_t q = i;
		while (q < end && data[q] == '>')
			q++;
		if (end - q >= 5 && !memcmp (data + q, "From ", 5))
			putc ('>', g->mbox);
		fwrite (data + i, 1, end - i, g->mbox);
		i = end;
	}
	if (len && data[len - 1] != '\n')
		putc ('\n', g->mbox);  /* GMime ends every message with one */
	putc ('\n', g->mbox);
	if (ferror (g->mbox))
		die ("cannot write", g->mbox_path, errno);
}

static void
progress (Gen *g, gboolean done)
{
	guint step = MAX (g->total / (g->tty ? 100 : 10), 1);
	double secs = (double) (g_get_monotonic_time () - g->t0) / 1e6;

	if (g->quiet || (!done && g->written % step))
		return;
	if (done)
		fprintf (stderr, "%strawl-gen-corpus: wrote %u messages in %u threads to %s (%.1f s)\n",
		         g->tty ? "\r" : "", g->written, g->threads, g->outputs, secs);
	else if (g->tty)
		fprintf (stderr, "\rtrawl-gen-corpus: %u/%u messages", g->written, g->total);
	else
		fprintf (stderr, "trawl-gen-corpus: %u/%u messages\n", g->written, g->total);
}

/* Writing files dominates the run time, so one writer thread does it
 * while the main thread builds the next messages.  File contents do not
 * depend on the order the files are written in, so output stays
 * deterministic. */
typedef struct {
	char *slot;      /* placeholder in tmp/ */
	char *path;      /* final name in cur/ or new/ */
	GByteArray *data;
} WriteJob;

static void
write_job (gpointer data, gpointer user_data)
{
	WriteJob *j = data;
	write_file (j->slot, j->data->data, j->data->len);
	if (rename (j->slot, j->path) < 0)
		die ("cannot rename to", j->path, errno);
	g_byte_array_free (j->data, TRUE);
	g_free (j->slot);
	g_free (j->path);
	g_free (j);
}

static char *
slot_path (Gen *g, guint i)
{
	return g_strdup_printf ("%s/tmp/%0*u.trawl-slot", g->dir, g->width, i);
}

typedef struct {
	guint64 ino;
	guint slot;
} SlotIno;

static int
cmp_slot_ino (const void *a, const void *b)
{
	const SlotIno *x = a, *y = b;
	return x->ino < y->ino ? -1 : x->ino > y->ino ? 1 : (x->slot > y->slot) - (x->slot < y->slot);
}

/* A fresh `notmuch new` does not meet a directory's files in name order:
 * it sorts them by inode number, and the file system hands out inode
 * numbers in whatever order suits it (ext4 here often counts down, or
 * jumps between block groups past a few thousand files).  Parents met
 * after their replies make ghosts with fresh thread IDs, and a ghost that
 * wins a merge makes notmuch rewrite every message of the real thread:
 * quadratic in a giant thread (10,000 messages took over five minutes).
 *
 * So take the inodes first, as empty placeholders in tmp/, and give the
 * messages, in order, to the placeholders in inode order; each is then
 * written and renamed into cur/ or new/ (rename keeps the inode), the way
 * a delivery agent uses tmp/.  Names and contents stay deterministic;
 * only which inode holds which message depends on the file system. */
static void
make_slots (Gen *g)
{
	SlotIno *si = g_new (SlotIno, g->total);

	for (guint i = 0; i < g->total; i++) {
		char *p = slot_path (g, i);
		struct stat st;
		int fd = open (p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			die ("cannot create", p, errno);
		if (fstat (fd, &st) < 0)
			die ("cannot stat", p, errno);
		close (fd);
		si[i].ino = (guint64) st.st_ino;
		si[i].slot = i;
		g_free (p);
	}
	qsort (si, g->total, sizeof *si, cmp_slot_ino);
	g->slots = g_new (guint, g->total);
	for (guint i = 0; i < g->total; i++)
		g->slots[i] = si[i].slot;
	g_free (si);
}

static void
emit (Gen *g, GMimeMessage *msg, gint64 time, const char *sender)
{
	/* The newest mail arrives in new/ without an info suffix, the rest
	 * in cur/.  By date, not by a random draw: notmuch new indexes cur/
	 * before new/, so a message in new/ that has replies in cur/ would be
	 * met after them.  Each such reply makes a ghost for the missing parent
	 * with a fresh thread ID, and when the ghost wins the thread merge,
	 * notmuch rewrites every message of the real thread into the ghost's:
	 * in a giant thread that is thousands of documents per reply, and the
	 * run goes quadratic (10,000 messages took over five minutes).  Since
	 * a reply is always dated after its parent, a parent in new/ means
	 * its replies are in new/ too, numbered after it. */
	gboolean is_new = time >= EPOCH_UNIX + SPAN_SECONDS - NEW_WINDOW;
	WriteJob *j;
	GByteArray *data = g_byte_array_sized_new (8192);
	GMimeStream *s;

	g->written++;
	s = g_mime_stream_mem_new_with_byte_array (data);
	g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (s), FALSE);
	if (g_mime_object_write_to_stream (GMIME_OBJECT (msg), NULL, s) < 0)
		die ("GMime failed to serialise message", "", 0);
	g_object_unref (s);

	if (g->mbox)
		mbox_append (g, data->data, data->len, time, sender);
	if (g->eml_dir) {
		char *p = g_strdup_printf ("%s/%0*u.eml", g->eml_dir, g->width, g->written);
		write_file_flags (p, data->data, data->len, O_CREAT);
		g_free (p);
	}
	if (!g->dir) {
		g_byte_array_free (data, TRUE);
		progress (g, FALSE);
		return;
	}
	j = g_new (WriteJob, 1);
	j->data = data;

	/* Threads are written parent first, and message k takes the k-th
	 * lowest inode (make_slots), so notmuch new meets parents before
	 * their replies.  Zero-padded so that name order is the same. */
	j->slot = slot_path (g, g->slots[g->written - 1]);
	j->path = is_new ? g_strdup_printf ("%s/new/%0*u.trawl", g->dir, g->width, g->written)
	                 : g_strdup_printf ("%s/cur/%0*u.trawl:2,", g->dir, g->width, g->written);
	/* Bound the backlog (memory) if the disk is slower than we are. */
	while (g_thread_pool_unprocessed (g->writer) > 2000)
		g_usleep (1000);
	g_thread_pool_push (g->writer, j, NULL);
	progress (g, FALSE);
}

/* ------------------------------------------------------------------------
 * Threads
 * ---------------------------------------------------------------------- */

static char *
root_subject (Gen *g, const ThreadPlan *plan, gint64 start)
{
	double u = rndd (g);

	if (plan->hostile >= 0)
		return g_strdup (hostile[plan->hostile].subject);
	if (u < 0.09)
		return g_strdup (PICK (g, subj_intl));
	if (u < 0.25) {
		GDateTime *dt = g_date_time_new_from_unix_utc (start);
		const char *what = PICK (g, subj_misc);
		char *s = chance (g, 0.5)
		        ? g_strdup_printf ("%s %04d-%02d-%02d", what, g_date_time_get_year (dt),
		                           g_date_time_get_month (dt), g_date_time_get_day_of_month (dt))
		        : g_strdup_printf ("%s (%s)", what, PICK (g, cities));
		g_date_time_unref (dt);
		return s;
	}
	{
		const char *prefix = "";
		char pbuf[48];
		double p = rndd (g);
		if (p < 0.15) {
			guint parts = 1 + rnd (g, 6);
			g_snprintf (pbuf, sizeof pbuf, "[PATCH v%u %u/%u] ", 1 + rnd (g, 4),
			            1 + rnd (g, parts), parts);
			prefix = pbuf;
		} else if (p < 0.22) {
			prefix = "[PATCH] ";
		} else if (p < 0.25) {
			prefix = "[RFC] ";
		}
		return g_strdup_printf ("%s%s %s%s", prefix, PICK (g, subj_verbs),
		                        PICK (g, subj_nouns), PICK (g, subj_tails));
	}
}

/* Pick whom a new message answers.  Chains to the latest message make depth,
 * answers to the root and to random earlier messages make breadth. */
static int
pick_parent (Gen *g, int k)
{
	double u = rndd (g);
	if (u < 0.40)
		return k - 1;
	if (u < 0.55)
		return 0;
	if (k > 30 && u < 0.90)
		return k - 1 - (int) rnd (g, 30);  /* recent part of a long thread */
	return (int) rnd (g, (guint) k);
}

static void
gen_thread (Gen *g, const ThreadPlan *plan)
{
	Thread t = { plan, g_new0 (Msg, plan->size), NULL, -1, NULL };
	guint npart = plan->giant ? 30 + rnd (g, 40) : 2 + rnd (g, 4);
	int *part;
	/* Mean gap between messages: hours for small threads, so a giant
	 * thread of 2000+ messages spans most of a year. */
	double mean_gap = plan->giant ? 3.0 * 3600 : (plan->size > 50 ? 4.0 * 3600 : 9.0 * 3600);
	/* A giant thread runs for most of a year: start it early enough to
	 * end before the span does, or its last few hundred messages would
	 * all land in new/ (see emit). */
	gint64 when = EPOCH_UNIX + (gint64) (rndd (g) * (double) (plan->giant
	              ? SPAN_SECONDS - G_GINT64_CONSTANT (365) * 24 * 3600 : SPAN_SECONDS));
	char *subject;

	g->threads++;
	npart = MIN (npart, plan->size + 1);
	part = g_new (int, npart);
	for (guint i = 0; i < npart; i++)
		part[i] = zipf_person (g);
	if (plan->giant || plan->size > 40 || chance (g, 0.35))
		t.list = (int) rnd (g, N_ELEMENTS (lists));
	if (plan->hostile < 0 && chance (g, 0.01))
		t.ghost = g_strdup_printf ("missing.%08x@lost.example.org", g_rand_int (g->rng));
	subject = root_subject (g, plan, when);
	t.subject = subject;

	for (guint k = 0; k < plan->size; k++) {
		Msg *m = &t.msgs[k];
		GMimeMessage *msg;

		if (k > 0) {
			/* Exponential gaps, at least a minute: replies always
			 * come after their parent, which is an earlier message. */
			when += 60 + (gint64) (-log (1.0 - rndd (g)) * mean_gap);
			m->parent = pick_parent (g, (int) k);
			m->depth = t.msgs[m->parent].depth + 1;
		} else {
			m->parent = -1;
		}
		m->time = when;
		m->author = part[rnd (g, npart)];
		if (m->parent >= 0 && m->author == t.msgs[m->parent].author)
			m->author = part[rnd (g, npart)];  /* usually someone else answers */
		m->msgid = make_msgid (g, m, g->written + 1);

		msg = build_message (g, &t, (int) k);
		emit (g, msg, m->time, g->people[m->author].addr);
		g_object_unref (msg);
	}

	for (guint k = 0; k < plan->size; k++) {
		g_free (t.msgs[k].msgid);
		g_free (t.msgs[k].body);
	}
	g_free (t.msgs);
	g_free (t.ghost);
	g_free (subject);
	g_free (part);
}

/* ------------------------------------------------------------------------
 * Main
 * ---------------------------------------------------------------------- */

static void
make_dir (const char *dir, const char *sub)
{
	char *p = g_build_filename (dir, sub, NULL);
	if (g_mkdir_with_parents (p, 0755) < 0)
		die ("cannot create directory", p, errno);
	g_free (p);
}

static void
usage_error (const char *msg)
{
	fprintf (stderr, "trawl-gen-corpus: %s\nTry 'trawl-gen-corpus --help'.\n", msg);
	exit (2);
}

int
main (int argc, char **argv)
{
	char *out = NULL, *mbox = NULL, *eml = NULL;
	int n = 1000, giant = -1;
	gint64 seed = 1;
	gboolean quiet = FALSE;
	GError *err = NULL;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Maildir to write (created if missing)", "DIR" },
		{ "mbox", 0, 0, G_OPTION_ARG_FILENAME, &mbox, "mbox file (mboxrd) to write, replaced if it exists", "FILE" },
		{ "eml-dir", 0, 0, G_OPTION_ARG_FILENAME, &eml,
		  "Directory to write one NNNNNN.eml file per message into (created if missing)", "DIR" },
		{ "count", 'n', 0, G_OPTION_ARG_INT, &n, "Number of messages (default 1000)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "S" },
		{ "giant", 0, 0, G_OPTION_ARG_INT, &giant,
		  "Threads of 2000+ messages (default 1 when N >= 8000, else 0; at most 25% of N)", "K" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress on stderr", NULL },
		{ NULL }
	};
	GOptionContext *ctx;
	GString *outputs = g_string_new (NULL);
	Gen g = { 0 };
	ThreadPlan *plans;
	guint nplans;

	g_set_prgname ("trawl-gen-corpus");
	ctx = g_option_context_new ("- write a deterministic synthetic mail corpus");
	g_option_context_set_summary (ctx,
		"trawl-gen-corpus [-o DIR] [--mbox FILE] [--eml-dir DIR] [-n N] [--seed S]\n"
		"                 [--giant K] [--quiet]");
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"-o writes DIR/cur, DIR/new and DIR/tmp with one RFC 5322 message per file;\n"
		"--mbox the same messages as one mboxrd file (lines matching ^>*From  get\n"
		"one more >); --eml-dir the same messages as DIR/NNNNNN.eml.  Give one or\n"
		"more.  The same arguments always produce byte-identical output.\n\n"
		"Examples:\n  trawl-gen-corpus -o /tmp/demo/mail -n 3000 --seed 1\n"
		"  trawl-gen-corpus --mbox /tmp/dump.mbox -n 3000 --seed 1\n");
	if (!g_option_context_parse (ctx, &argc, &argv, &err))
		usage_error (err->message);
	g_option_context_free (ctx);
	if (argc > 1)
		usage_error ("unexpected argument");
	if (!out && !mbox && !eml)
		usage_error ("missing -o DIR, --mbox FILE or --eml-dir DIR");
	if (n < 1)
		usage_error ("-n must be at least 1");
	if (giant < -1)
		usage_error ("--giant must be 0 or more");
	if (seed < 0 || seed > G_MAXUINT32)
		usage_error ("--seed must be between 0 and 4294967295");
	if (giant == -1)
		giant = n >= 8000 ? 1 : 0;
	if (giant > 0 && (guint) n / 4 / (guint) giant < 1)
		giant = 0;  /* no room: 25% of a tiny corpus */

	g_mime_init ();
	g.rng = g_rand_new_with_seed ((guint32) seed);
	g.dir = out;
	g.mbox_path = mbox;
	g.eml_dir = eml;
	g.total = (guint) n;
	g.width = MAX (6, snprintf (NULL, 0, "%d", n));
	g.quiet = quiet;
	g.tty = isatty (2);
	g.t0 = g_get_monotonic_time ();
	g.writer = g_thread_pool_new (write_job, NULL, 1, TRUE, NULL);

	if (out) {
		make_dir (out, "cur");
		make_dir (out, "new");
		make_dir (out, "tmp");
		make_slots (&g);
		g_string_append (outputs, out);
	}
	if (mbox) {
		g.mbox = fopen (mbox, "wb");
		if (!g.mbox)
			die ("cannot create", mbox, errno);
		setvbuf (g.mbox, NULL, _IOFBF, 1 << 20);
		g_string_append_printf (outputs, "%s%s", outputs->len ? " and " : "", mbox);
	}
	if (eml) {
		make_dir (eml, ".");
		g_string_append_printf (outputs, "%s%s", outputs->len ? " and " : "", eml);
	}
	g.outputs = outputs->str;
	people_init (&g);
	plans = plan_threads (&g, (guint) n, giant, &nplans);
	for (guint i = 0; i < nplans; i++)
		gen_thread (&g, &plans[i]);
	g_thread_pool_free (g.writer, FALSE, TRUE);  /* waits for the last files */
	if (g.mbox && (fflush (g.mbox) != 0 || ferror (g.mbox) || fclose (g.mbox) != 0))
		die ("cannot write", mbox, errno);
	progress (&g, TRUE);

	g_free (plans);
	g_free (g.slots);
	people_free (&g);
	g_rand_free (g.rng);
	g_free (out);
	g_free (mbox);
	g_free (eml);
	g_string_free (outputs, TRUE);
	g_mime_shutdown ();
	return 0;
}
