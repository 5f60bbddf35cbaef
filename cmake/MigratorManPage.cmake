# cmake -P: writes migrator(1) from the binary's own --help with help2man, one COMMANDS section holding
# each command's --help, so the page says what --help says. Then gzips it, as Debian installs man pages.
# -D BINARY=... -D OUTPUT=.../migrator.1 -D VERSION=... -D HELP2MAN=...
execute_process(COMMAND "${BINARY}" __complete commands OUTPUT_VARIABLE commands COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" commands "${commands}")

# roff: a backslash is \e, and a line starting with . or ' would be a request.
function(roff_verbatim text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(include "[COMMANDS]\nEach command takes the global options above, and its own:\n")
foreach(command IN LISTS commands)
  if(command STREQUAL "")
    continue()
  endif()
  execute_process(COMMAND "${BINARY}" ${command} --help OUTPUT_VARIABLE help COMMAND_ERROR_IS_FATAL ANY)
  roff_verbatim("${help}" help)
  string(APPEND include ".SS ${command}\n.nf\n${help}.fi\n")
endforeach()
string(APPEND include "[SEE ALSO]\nThe guides in /usr/share/doc/migrator: commands.md, configuration.md, revisions.md and the others.\n")
file(WRITE "${OUTPUT}.include" "${include}")

execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=1 --version-string=${VERSION}
          "--name=versioned schema migrations for SQLite, PostgreSQL and MySQL"
          "--include=${OUTPUT}.include" "--output=${OUTPUT}" "${BINARY}"
  COMMAND_ERROR_IS_FATAL ANY)
file(REMOVE "${OUTPUT}.gz")
execute_process(COMMAND gzip -9 -n -k "${OUTPUT}" COMMAND_ERROR_IS_FATAL ANY)
