# One image for both roles of the scale-out topology (docker-compose.yml): `npm run serve` (web)
# and `npm run worker` (steps). Everything is fetched at build time from Debian and npm; nothing
# downloads when a container starts.
FROM node:20-bookworm

# ffmpeg/ffprobe for probing, analysis decoding and rendering; PocketSphinx for offline transcription.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg pocketsphinx pocketsphinx-en-us \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 ONNXRUNTIME_NODE_INSTALL=skip \
    PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 HOST=0.0.0.0 PORT=3000

# Dependencies first (exactly as locked, dev tools included: tsx runs the processes, Next.js builds),
# so that a source change does not reinstall them.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --include=dev

COPY . .
# The setup steps that need no database: ONNX models from the npm packages (checked against the
# manifest's sha256), both Prisma clients, the production build. Migrations run when the web starts.
RUN node scripts/build-models.mjs \
  && bash scripts/prisma-generate.sh \
  && npx --no-install next build

EXPOSE 3000
CMD ["npm", "run", "serve"]
