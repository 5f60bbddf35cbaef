#include <catch2/catch.hpp>

#include <cctype>
#include <clocale>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "util/ascii.hpp"

namespace util = migrator::util;

TEST_CASE("character classes are ASCII's", "[ascii]") {
    for (const char c : {' ', '\t', '\n', '\r', '\f', '\v'}) {
        CHECK(util::is_space(c));
    }
    CHECK_FALSE(util::is_space('\xA0'));  // no-break space in Latin-1, a UTF-8 continuation byte
    CHECK_FALSE(util::is_space('x'));
    CHECK(util::is_digit('0'));
    CHECK(util::is_digit('9'));
    CHECK_FALSE(util::is_digit('a'));
    CHECK(util::is_alpha('a'));
    CHECK(util::is_alpha('Z'));
    CHECK_FALSE(util::is_alpha('_'));
    CHECK_FALSE(util::is_alpha('\xE4'));  // ä in Latin-1
    CHECK(util::is_alnum('7'));
    CHECK(util::is_alnum('q'));
    CHECK_FALSE(util::is_alnum('-'));
}

TEST_CASE("case folding changes ASCII letters only", "[ascii]") {
    CHECK(util::to_upper("integer(10) with time zone") == "INTEGER(10) WITH TIME ZONE");
    CHECK(util::to_lower("VARCHAR_2") == "varchar_2");
    CHECK(util::to_lower("Ärger") == "Ärger");  // UTF-8 bytes pass through
    CHECK(util::to_upper("ß") == "ß");
    CHECK(util::to_lower('Q') == 'q');
    CHECK(util::to_upper('@') == '@');
}

TEST_CASE("iequals ignores the case of ASCII letters only", "[ascii]") {
    CHECK(util::iequals("Json", "JSON"));
    CHECK(util::iequals("", ""));
    CHECK_FALSE(util::iequals("json", "jsonb"));
    CHECK_FALSE(util::iequals("\xC4", "\xE4"));  // Ä and ä in Latin-1 differ
    static_assert(util::iequals("Create", "CREATE"));
}

namespace {

// Puts the C library's ctype locale back to "C" when a test leaves.
class CtypeLocale {
public:
    CtypeLocale() = default;
    CtypeLocale(const CtypeLocale&) = delete;
    CtypeLocale& operator=(const CtypeLocale&) = delete;
    ~CtypeLocale() { std::setlocale(LC_CTYPE, "C"); }

    // The first of `names` the system has, or "" when it has none.
    static std::string select(std::initializer_list<const char*> names) {
        for (const char* name : names) {
            if (std::setlocale(LC_CTYPE, name) != nullptr) {
                return name;
            }
        }
        return "";
    }
};

}  // namespace

// <cctype> under a Turkish single-byte locale upper-cases 'i' to 0xDD (İ) and calls 0xA0 a space, so a type
// such as "integer" compared in upper case stopped matching. The test command builds the locale with
// `localedef -i tr_TR -f ISO-8859-9 DIR/tr_TR.ISO-8859-9` and names DIR in MIGRATOR_TEST_LOCPATH; then the
// locale must load. Elsewhere an installed one is used when there is one.
TEST_CASE("the helpers ignore the process locale", "[ascii]") {
    const CtypeLocale restore;
    const char* locpath = std::getenv("MIGRATOR_TEST_LOCPATH");
    if (locpath != nullptr) {
        ::setenv("LOCPATH", locpath, 1);  // glibc reads it on every setlocale()
    }
    const auto name = CtypeLocale::select({"tr_TR.ISO-8859-9", "tr_TR.iso88599", "tr_TR"});
    if (locpath != nullptr) {
        ::unsetenv("LOCPATH");
        INFO("MIGRATOR_TEST_LOCPATH=" << locpath);
        REQUIRE_FALSE(name.empty());
    }
    if (name.empty()) {
        WARN("no Turkish single-byte locale installed: checked in the C locale only");
    } else {
        INFO("locale " << name);
        // The locale took effect: <cctype> now disagrees with ASCII.
        REQUIRE(std::toupper(static_cast<unsigned char>('i')) != 'I');
    }
    CHECK(util::to_upper("integer") == "INTEGER");
    CHECK(util::to_lower("TIME") == "time");
    CHECK(util::iequals("index", "INDEX"));
    CHECK_FALSE(util::is_space('\xA0'));
    CHECK_FALSE(util::is_alpha('\xDD'));
}
