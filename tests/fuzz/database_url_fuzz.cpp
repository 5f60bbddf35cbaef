// Any text as a database URL: a parsed URL or a failure, and the password never shows in the
// failure or in redacted().

#include "config/database_url.hpp"

#include <string>

#include "fuzz_support.hpp"

using migrator::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = migrator::fuzz::as_text(data, size);
    auto url = migrator::config::parse_database_url(text);
    if (!url) {
        migrator::fuzz::check_failure_message(url.error().message);
        return 0;
    }
    const std::string redacted = url->redacted();
    // Only a password long enough not to be any letter of the rest is a meaningful probe.
    if (url->password.size() >= 8 && text.find(url->password) == text.rfind(url->password)) {
        check(redacted.find(url->password) == std::string::npos, "redacted() hides the password");
    }
    auto again = migrator::config::parse_database_url(redacted);
    if (again) check(again->dialect == url->dialect, "the redacted URL names the same database kind");
    return 0;
}
