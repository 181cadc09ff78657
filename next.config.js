// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Pages only reach the server's services through lib/server/services; these never get bundled.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', 'pino', 'socket.io'],
  // `npm test` type-checks the whole project (tests included) with tsc; `npm start` should not
  // fail to serve because of a type error in a test file, and the build stays faster.
  typescript: { ignoreBuildErrors: true },
  // forbidden() (app/forbidden.tsx): /admin answers non-admins with a real HTTP 403 page.
  experimental: { authInterrupts: true },
};

export default nextConfig;
