// Prisma CLI configuration. DATABASE_URL is resolved by scripts/prisma.mjs (default: data/confab.db).
import { defineConfig } from 'prisma/config';

const provider = process.env.CONFAB_PRISMA_PROVIDER === 'postgresql' ? 'postgres' : 'sqlite';

export default defineConfig({
  schema: provider === 'postgres' ? 'prisma/postgres/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: provider === 'postgres' ? 'prisma/postgres/migrations' : 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/confab.db' },
});
