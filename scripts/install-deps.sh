#!/usr/bin/env bash
# Installs the Debian 12 packages migrator builds and tests with; skips what is already there.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache
  libsoci-dev libboost-dev libcli11-dev libfmt-dev libspdlog-dev libyaml-cpp-dev
  catch2 libsqlite3-dev sqlite3 nlohmann-json3-dev libpq-dev libpg-query-dev nettle-dev
  libhowardhinnant-date-dev
  help2man man-db dpkg-dev file zsh fish  # the man page, the Debian packages and the completion tests
  galera-4 rsync  # the Galera cluster of scripts/db-servers.sh start-galera (rsync state transfer)
  clang-format-14 clang-tidy-14           # scripts/check-code.sh
  locales  # localedef: the Turkish locale the ASCII helpers are tested under
)
packages+=("$@")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
