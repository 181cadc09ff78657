// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Pages only reach the server's services through lib/server/services; these never get bundled.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', 'pino', 'socket.io'],
  // The build runs `tsc` separately in tests; keep `next build` fast and offline.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
