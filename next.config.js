// Next.js configuration. Native and server-only packages stay outside the bundle; telemetry is off
// (set NEXT_TELEMETRY_DISABLED=1 in scripts as well); the preview pages are cross-origin isolated.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    'pg',
    'busboy',
    'bullmq',
    'ioredis',
    '@aws-sdk/client-s3',
  ],
  poweredByHeader: false,
  // Types are checked once for the whole repository by `npm run lint` (part of `npm test`).
  typescript: { ignoreBuildErrors: true },
  // The in-browser preview is cross-origin isolated, so onnxruntime-web (and ffmpeg.wasm) may use
  // SharedArrayBuffer threads; everything it loads is same-origin, which require-corp allows.
  async headers() {
    const isolation = [
      { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
    ];
    // A dedicated worker of an isolated page must itself be served with COEP, or the browser blocks it:
    // the bundled worker chunks and the vendored runtimes are.
    const scripts = [
      { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
      { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
    ];
    return [
      { source: '/preview', headers: isolation },
      { source: '/preview/:path*', headers: isolation },
      { source: '/_next/static/:path*', headers: scripts },
      { source: '/vendor/:path*', headers: scripts },
    ];
  },
};

export default nextConfig;
