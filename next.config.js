// Next.js configuration. Native and server-only packages stay outside the bundle; telemetry is off
// (set NEXT_TELEMETRY_DISABLED=1 in scripts as well).
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
    '@aws-sdk/lib-storage',
  ],
  poweredByHeader: false,
  // Types are checked once for the whole repository by `npm run lint` (part of `npm test`).
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
