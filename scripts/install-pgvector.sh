#!/usr/bin/env bash
# Builds and installs pgvector into the local PostgreSQL server. Debian bookworm has no pgvector
# package, so this fetches Debian trixie's *source* package through a private apt source list
# (the system's own sources stay on bookworm) and builds it against postgresql-server-dev-<major>.
# Idempotent: does nothing when the extension is already installed.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)}"
PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SHAREDIR="$([ -x "$PG_CONFIG" ] && "$PG_CONFIG" --sharedir || echo "/usr/share/postgresql/${PG_MAJOR}")"

if [ -f "${SHAREDIR}/extension/vector.control" ]; then
  echo "pgvector already installed for PostgreSQL ${PG_MAJOR}"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

echo "Installing build dependencies for PostgreSQL ${PG_MAJOR}…"
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s "postgresql-server-dev-${PG_MAJOR}" >/dev/null 2>&1 || ! command -v make >/dev/null || ! command -v dpkg-source >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev >/dev/null
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/lists/partial" "$WORK/archives/partial"
chmod -R a+rwX "$WORK"  # let apt's sandbox user write its downloads
cat > "$WORK/trixie.list" <<LIST
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
LIST
APT_OPTS=(
  -o "Dir::Etc::sourcelist=$WORK/trixie.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$WORK/lists"
  -o "Dir::Cache::archives=$WORK/archives"
  -o "APT::Get::List-Cleanup=0"
)
echo "Fetching Debian trixie's pgvector source package…"
$SUDO apt-get "${APT_OPTS[@]}" update -qq
(cd "$WORK" && $SUDO apt-get "${APT_OPTS[@]}" source --download-only -qq pgvector)
(cd "$WORK" && dpkg-source -x --no-check pgvector_*.dsc src >/dev/null)

echo "Building pgvector against PostgreSQL ${PG_MAJOR}…"
make -s -C "$WORK/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
$SUDO make -s -C "$WORK/src" PG_CONFIG="$PG_CONFIG" install >/dev/null
echo "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$WORK/src/vector.control") installed for PostgreSQL ${PG_MAJOR}"
