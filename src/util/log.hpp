#pragma once
// Diagnostics on stderr, as "info: ...", "warning: ..." lines. spdlog does the writing, and only
// src/util/log.cpp includes it (header-only), so no other file pays for its headers or its library.
// A library caller (api/project.cpp) sends the messages of its own calls elsewhere with a ScopedSink:
// the sink is per thread, so two projects on two threads never see each other's lines.

#include <fmt/format.h>

#include <functional>
#include <string_view>
#include <utility>

namespace migrator::log {

/// How much a message matters; messages below the threshold are not formatted at all.
enum class Level { Debug, Info, Warning, Error };

/// Whether the level names are coloured; the CLI decides from --color, NO_COLOR, TERM and the terminal.
enum class Colour { Never, Always };

/// Starts the stderr logger; messages below `threshold` are dropped.
void start(Level threshold, Colour colour = Colour::Never);

/// Where the messages of one thread go instead of stderr: each line, already masked and escaped.
struct Sink {
    Level threshold = Level::Info;
    std::function<void(Level, std::string_view)> write;
};

/// Sends this thread's messages to `sink` until destroyed, then back to the previous sink (or stderr).
/// `sink` must outlive it. Threads started meanwhile take it over with current_sink()/ScopedSink.
class ScopedSink {
public:
    explicit ScopedSink(const Sink* sink);
    ~ScopedSink();
    ScopedSink(const ScopedSink&) = delete;
    ScopedSink& operator=(const ScopedSink&) = delete;

private:
    const Sink* previous_;
};

/// The sink of this thread, or null for stderr.
[[nodiscard]] const Sink* current_sink();
/// Whether a message of `level` would be shown.
[[nodiscard]] bool enabled(Level level);
/// Writes one formatted message, with passwords masked and control characters escaped.
void write(Level level, std::string_view message);

/// A diagnostic shown only with `--debug`.
template <class... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
    if (enabled(Level::Debug)) write(Level::Debug, fmt::format(format, std::forward<Args>(args)...));
}
/// Progress worth showing by default.
template <class... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
    if (enabled(Level::Info)) write(Level::Info, fmt::format(format, std::forward<Args>(args)...));
}
/// Something the user should look at; still shown with --quiet.
template <class... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
    if (enabled(Level::Warning)) write(Level::Warning, fmt::format(format, std::forward<Args>(args)...));
}
/// A problem that does not stop the command by itself.
template <class... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
    if (enabled(Level::Error)) write(Level::Error, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace migrator::log
