// The main() of every unit-test executable: doctest's own, plus one rule doctest lacks. A run in
// which no test case passed the filters checked nothing, so it fails: a ctest entry whose
// --test-case filter matches nothing (a renamed case, a name that doctest_discover_tests split
// at ';') must never count as a pass.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

/// Test cases that passed the filters in the last run; -1 when no run happened (--help,
/// --list-test-cases and the other queries run nothing and are not failures).
int cases_selected = -1;

/// Listens for the end of the run only, to learn how many test cases were selected.
struct SelectedCasesListener final : doctest::IReporter {
    explicit SelectedCasesListener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override {
        cases_selected = int(stats.numTestCasesPassingFilters);
    }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

} // namespace

REGISTER_LISTENER("wgx-selected-cases", 1, SelectedCasesListener);

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    int result = context.run();
    if (result == 0 && cases_selected == 0) {
        std::fprintf(stderr,
                     "%s: no test case matched the filters, so nothing was checked: "
                     "failing (see tests/support/doctest_main.cpp)\n",
                     argc > 0 ? argv[0] : "test");
        return 1;
    }
    return result;
}
