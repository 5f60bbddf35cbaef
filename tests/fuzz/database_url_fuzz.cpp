// Any text as a database URL: a parsed URL or a failure, and the password never shows in the
// failure or in redacted().

#include "config/database_url.hpp"

#include <string>

#include "fuzz_support.hpp"

using migrator::fuzz::check;

namespace {

// The input with every %XX decoded, so that a password spelled again in another field, percent-encoded
// (a query value), is seen as repeated: masking must leave that other field alone.
std::string percent_decoded(std::string_view text) {
    const auto hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) && hex(text[i + 2])) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = migrator::fuzz::as_text(data, size);
    auto url = migrator::config::parse_database_url(text);
    if (!url) {
        migrator::fuzz::check_failure_message(url.error().message);
        return 0;
    }
    const std::string redacted = url->redacted();
    // Only a password long enough not to be any letter of the rest is a meaningful probe.
    const std::string decoded = percent_decoded(text);
    if (url->password.size() >= 8 && text.find(url->password) == text.rfind(url->password) &&
        decoded.find(url->password) == decoded.rfind(url->password)) {
        check(redacted.find(url->password) == std::string::npos, "redacted() hides the password");
    }
    auto again = migrator::config::parse_database_url(redacted);
    if (again) check(again->dialect == url->dialect, "the redacted URL names the same database kind");
    return 0;
}
