#!/usr/bin/env bash
# The guard in doctest_main.cpp: a unit-test binary run with a filter that matches no test case
# fails and says why; the same binary with a filter matching one case passes, and a query
# (--list-test-cases, which doctest_discover_tests runs at build time) still succeeds.
set -uo pipefail
bin=${1:?usage: zero_cases_fail_test.sh TEST_BINARY}
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$bin" --test-case='no test case is called this, the guard must fail the run' 2>&1)
rc=$?
((rc != 0)) || fail "a run matching no test case exited 0: $out"
grep -q 'no test case matched the filters' <<<"$out" || fail "no reason given: $out"

list=$("$bin" --list-test-cases --no-version 2>&1) || fail "--list-test-cases failed: $list"
first=$(grep -v -e '^===' -e '^\[doctest\]' <<<"$list" | head -1)
[[ -n $first ]] || fail "no test case listed: $list"
escaped=${first//,/\\,}
out=$("$bin" --test-case="$escaped" 2>&1) || fail "a run of '$first' failed: $out"
grep -q 'test cases: *1 | *1 passed' <<<"$out" || fail "'$first' did not run exactly one case: $out"

# A filter excluding everything is as empty as one matching nothing.
out=$("$bin" --test-case-exclude='*' 2>&1)
(($? != 0)) || fail "a run excluding every test case exited 0: $out"
echo "zero-case guard: an empty selection fails, a real one passes"
