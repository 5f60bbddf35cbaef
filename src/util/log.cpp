#include "util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace migrator::log {

namespace {

spdlog::level::level_enum spdlog_level(Level level) {
    switch (level) {
        case Level::Debug:
            return spdlog::level::debug;
        case Level::Info:
            return spdlog::level::info;
        case Level::Warning:
            return spdlog::level::warn;
        case Level::Error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

thread_local const Sink* thread_sink = nullptr;

}  // namespace

ScopedSink::ScopedSink(const Sink* sink) : previous_(std::exchange(thread_sink, sink)) {}

ScopedSink::~ScopedSink() {
    thread_sink = previous_;
}

const Sink* current_sink() {
    return thread_sink;
}

void start(Level threshold, Colour colour) {
    auto logger = spdlog::stderr_color_mt(
        "migrator", colour == Colour::Always ? spdlog::color_mode::always : spdlog::color_mode::never);
    // "info: ...", "warning: ...": the same shape as the one "error: ..." line.
    logger->set_pattern("%^%l%$: %v");
    logger->set_level(spdlog_level(threshold));
    spdlog::set_default_logger(std::move(logger));
}

bool enabled(Level level) {
    if (thread_sink != nullptr) return level >= thread_sink->threshold;
    return spdlog::default_logger_raw()->should_log(spdlog_level(level));
}

void write(Level level, std::string_view message) {
    // Messages quote names and text from scripts and servers: one line, nothing a terminal acts on.
    const auto line = util::printable(util::redact(message));
    if (thread_sink != nullptr) {
        if (thread_sink->write) thread_sink->write(level, line);
        return;
    }
    spdlog::default_logger_raw()->log(spdlog_level(level), line);
}

}  // namespace migrator::log
