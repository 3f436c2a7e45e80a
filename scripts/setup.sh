#!/usr/bin/env bash
# Sets up the embedded default on a fresh Debian machine, and is quick when nothing changed:
# Debian packages (as root), npm dependencies, the ONNX models, the browser wasm runtimes, Prisma clients, the Next.js build, the database schema.
# `--test` also installs what the test suite needs (Chromium for Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 ONNXRUNTIME_NODE_INSTALL=skip PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. Debian packages.
need=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || need+=(ffmpeg)
# Offline speech recognition (the default transcription engine) and its US English model.
command -v pocketsphinx_continuous >/dev/null || need+=(pocketsphinx)
[[ -f /usr/share/pocketsphinx/model/en-us/en-us.lm.bin ]] || need+=(pocketsphinx-en-us)
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null || need+=(chromium)
fi
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing system packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

# 2. npm dependencies, exactly as locked (again whenever the lock is newer than the install).
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 3. ONNX models into public/models/, built from the npm packages and checked against the manifest's sha256.
node scripts/build-models.mjs

# 3b. The in-browser preview's wasm runtimes (onnxruntime-web, ffmpeg.wasm) into public/vendor/, served by the app.
node scripts/copy-browser-assets.mjs

# 4. Prisma clients for SQLite and PostgreSQL (offline).
if [[ ! -f server/generated/sqlite/client.ts || prisma/schema.prisma -nt server/generated/sqlite/client.ts ]]; then
  bash scripts/prisma-generate.sh
fi

# 5. The production build, when any source is newer than the last one.
if [[ ! -f .next/BUILD_ID ]] || [[ -n $(find app server workers public next.config.js postcss.config.mjs package-lock.json \
      -newer .next/BUILD_ID -type f -not -path '*/generated/*' -print -quit 2>/dev/null) ]]; then
  say "building the web app (next build)"
  npx --no-install next build >/tmp/reframe-next-build.log 2>&1 || { cat /tmp/reframe-next-build.log; exit 1; }
fi

# 6. The database schema (SQLite file by default, PostgreSQL when DATABASE_URL says so).
npx --no-install tsx scripts/migrate.ts
say "ready"
