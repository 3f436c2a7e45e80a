#!/usr/bin/env bash
# Generates both Prisma clients (SQLite and PostgreSQL) from prisma/schema.prisma, offline.
# Prisma's CLI wants its schema engine even for `generate`, which only needs the query compiler
# shipped in npm; pointing PRISMA_SCHEMA_ENGINE_BINARY at any file keeps it from downloading one.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p prisma/.generated
sed -e 's/provider = "sqlite"/provider = "postgresql"/' \
    -e 's#output   = "../server/generated/sqlite"#output   = "../../server/generated/postgresql"#' \
    prisma/schema.prisma > prisma/.generated/postgresql.prisma
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(command -v node)}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
npx --no-install prisma generate --schema prisma/schema.prisma >/dev/null
npx --no-install prisma generate --schema prisma/.generated/postgresql.prisma >/dev/null
echo "prisma clients generated (sqlite, postgresql)"
