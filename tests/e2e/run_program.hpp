#pragma once
// Running a program other than migrator (the embedding example) the way Project::run runs migrator.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace e2e {

/// Runs `program ARGS...` in `dir` with the given extra environment.
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const std::filesystem::path& dir);

}  // namespace e2e
