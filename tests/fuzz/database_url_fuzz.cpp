// Any text as a database URL: a parsed URL or a failure, and the password never shows in the
// failure or in redacted().

#include "config/database_url.hpp"
#include "fuzz_support.hpp"

using migrator::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = migrator::fuzz::as_text(data, size);
    auto url = migrator::config::parse_database_url(text);
    if (!url) {
        migrator::fuzz::check_failure_message(url.error().message);
        return 0;
    }
    // Checked on the structure, not by searching the text: percent-encoding another field can spell
    // the password by chance (0xB1 becomes "%B1", then "1..."), and masking must leave that field alone.
    const std::string redacted = url->redacted();
    auto again = migrator::config::parse_database_url(redacted);
    check(again.has_value(), "the redacted URL parses again");
    check(again->dialect == url->dialect, "the redacted URL names the same database kind");
    check(again->password == (url->password.empty() ? "" : "***"), "redacted() hides the password");
    check(again->user == url->user && again->host == url->host && again->port == url->port &&
              again->database == url->database && again->driver == url->driver,
          "redacted() leaves every other field as it was");
    check(again->query.size() == url->query.size(), "redacted() keeps every query key");
    for (const auto& [key, value] : url->query) {
        const auto found = again->query.find(key);
        check(found != again->query.end() && (found->second == value || found->second == "***"),
              "redacted() changes a query value only to hide it");
    }
    return 0;
}
