// The service process: Next.js (pages, tRPC, REST handlers) on one Node http server, downloads
// and the dashboard's media (/media/…) served by Node directly (so Content-Length survives), and the embedded step worker unless
// WORKER_MODE=none. Prints the URL and where the data lives; stops cleanly on SIGTERM/SIGINT.
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { databaseProvider, env } from '../server/env';
import { DOWNLOAD_PATH, handleDownload } from '../server/http/download-handler';
import { handleMedia, MEDIA_PATH } from '../server/http/media-handler';
import { applyMigrations } from '../server/repositories/migrations.repository';
import { storage } from '../server/repositories/storage';
import { LocalStorage } from '../server/repositories/storage/local-storage.repository';
import { handlers } from '../workers/node/handlers';
import { startStepWorker } from '../workers/node/start-step-worker';

const root = path.resolve(import.meta.dirname, '..');
await applyMigrations(env.databaseUrl);
// A process killed mid-upload or mid-write leaves a hidden temp file behind: sweep those nobody touched for an hour.
if (storage instanceof LocalStorage) await storage.removeStaleTemps(60 * 60 * 1000);

const app = next({ dev: false, dir: root, hostname: env.HOST, port: env.PORT });
const nextHandler = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const pathname = req.url?.split('?')[0] ?? '';
  const match = pathname.match(DOWNLOAD_PATH);
  if (match?.[1]) return void handleDownload(req, res, match[1]);
  const media = pathname.match(MEDIA_PATH);
  if (media?.[1] && media[2]) return void handleMedia(req, res, media[1], media[2]);
  void nextHandler(req, res);
});
server.requestTimeout = 0; // uploads of large files may take long; the download limit lives elsewhere
server.headersTimeout = 60_000;

const worker = env.WORKER_MODE === 'embedded' ? await startStepWorker(handlers) : null;

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const db = databaseProvider() === 'sqlite' ? env.databaseUrl : 'PostgreSQL';
  console.log(`Reframe is running at http://localhost:${port}`);
  console.log(
    `Data: ${env.dataDir} · database: ${db} · worker: ${worker ? `embedded (${env.WORKER_CONCURRENCY} at a time)` : 'none'} · queue: ${env.QUEUE} · storage: ${env.STORAGE}`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void (worker?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  });
}
