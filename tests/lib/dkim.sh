# dkim.sh — the DKIM fixtures, for the tests that verify signatures.
# Sourced after uitest.sh (uses $abs_top_srcdir, fail, skip).
#
#   dkim_fixtures DIR   sign the test messages into DIR/mail, their public
#                       keys into DIR/keys (tests/lib/dkimfix.py, log in
#                       DIR.log); skips the test without openssl or
#                       python3-dkim, fails it when dkimfix.py fails

dkim_fixtures() {
	command -v openssl >/dev/null 2>&1 || skip "openssl not found (makes the test keys)"
	_py=
	for _p in python3 /usr/bin/python3; do
		if command -v "$_p" >/dev/null 2>&1 && "$_p" -c 'import dkim' 2>/dev/null; then _py=$_p; break; fi
	done
	[ -n "$_py" ] || skip "python3-dkim not installed (apt-get install python3-dkim): it signs the fixtures"
	_st=0
	"$_py" "$abs_top_srcdir/tests/lib/dkimfix.py" "$1" > "$1.log" 2>&1 || _st=$?
	[ "$_st" = 77 ] && skip "$(cat "$1.log")"
	[ "$_st" = 0 ] || { cat "$1.log"; fail "dkimfix.py failed"; }
}
