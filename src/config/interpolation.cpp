// ${VAR} and ${VAR:-default} in config values. Failures name variables only, never the text around
// them, because the text is often a database URL with a password in it.

#include <cstdlib>

#include "config/config.hpp"

namespace migrator::config {

namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

// A default is only looked at when it is used, as in the shell: `${SET:-${UNSET}}` is fine.
enum class Mode { Evaluate, Skip };
// Inside a default, an unmatched '}' ends the text instead of being a literal character.
enum class Nesting { TopLevel, InDefault };

class Interpolator {
public:
    Interpolator(std::string_view text, const EnvLookup& env) : text_(text), env_(env) {}

    Expected<std::string> run() { return sequence(Mode::Evaluate, Nesting::TopLevel); }

private:
    Expected<std::string> sequence(Mode mode, Nesting nesting) {
        std::string out;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == '}' && nesting == Nesting::InDefault) break;
            const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
            if (c != '$' || (next != '$' && next != '{')) {
                out += c;
                ++pos_;
                continue;
            }
            if (next == '$') {
                out += '$';
                pos_ += 2;
                continue;
            }
            pos_ += 2;
            auto value = placeholder(mode);
            if (!value) return value;
            out += *value;
        }
        return out;
    }

    // Called just after "${"; consumes through the closing '}'.
    Expected<std::string> placeholder(Mode mode) {
        const auto name_start = pos_;
        if (pos_ < text_.size() && is_name_start(text_[pos_])) {
            while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
        }
        const std::string name(text_.substr(name_start, pos_ - name_start));
        if (name.empty()) {
            return fail(
                "'${' must be followed by a variable name (letters, digits, '_'); write '$$' for a literal "
                "'$'");
        }
        if (pos_ >= text_.size()) return unterminated(name);

        if (text_[pos_] == '}') {
            ++pos_;
            if (mode == Mode::Skip) return std::string{};
            auto value = env_(name);
            if (!value) {
                return fail("environment variable '" + name + "' is not set (write ${" + name +
                            ":-default} to give a fallback)");
            }
            return std::move(*value);
        }
        if (text_.substr(pos_, 2) != ":-") {
            return fail("unsupported form after '${" + name +
                        "': only ${NAME} and ${NAME:-default} are understood");
        }
        pos_ += 2;
        std::optional<std::string> value;
        if (mode == Mode::Evaluate) value = env_(name);
        const bool use_default = mode == Mode::Evaluate && (!value || value->empty());
        auto fallback = sequence(use_default ? Mode::Evaluate : Mode::Skip, Nesting::InDefault);
        if (!fallback) return fallback;
        if (pos_ >= text_.size()) return unterminated(name);
        ++pos_;
        if (mode == Mode::Skip) return std::string{};
        return use_default ? std::move(*fallback) : std::move(*value);
    }

    static Failure unterminated(const std::string& name) {
        return fail("unterminated '${" + name + "' (missing '}')");
    }

    std::string_view text_;
    const EnvLookup& env_;
    std::size_t pos_ = 0;
};

}  // namespace

EnvLookup process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

Expected<std::string> interpolate(std::string_view text, const EnvLookup& env) {
    return Interpolator(text, env).run();
}

}  // namespace migrator::config
