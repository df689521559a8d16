#!/usr/bin/env bash
# Runs the PHP package's tests (PHPUnit from Debian) against a real Herald: the shaded jar under
# server/target (built here when missing), or HERALD_JAR. Installs php-cli, php-curl, php-mbstring,
# php-xml, phpunit and php-laravel-framework with apt-get when missing (root, or sudo).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

missing=()
command -v php >/dev/null 2>&1 || missing+=(php-cli)
command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
php -m 2>/dev/null | grep -qx curl || missing+=(php-curl)
php -m 2>/dev/null | grep -qx mbstring || missing+=(php-mbstring)
php -m 2>/dev/null | grep -qx xml || missing+=(php-xml)
[ -f /usr/share/php/Illuminate/autoload.php ] || missing+=(php-laravel-framework)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "php tests: installing ${missing[*]} (Debian packages)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq php-cli php-curl php-mbstring php-xml phpunit php-laravel-framework >/dev/null
fi

if [ -z "${HERALD_JAR:-}" ] && ! ls "$ROOT"/server/target/herald-server-*-all.jar >/dev/null 2>&1; then
  echo "php tests: building the server jar"
  (cd "$ROOT" && mvn -q -B -pl server -am -DskipTests package)
fi

cd "$HERE"
exec phpunit "$@"
