import { PrismaPg } from '@prisma/adapter-pg'
import { postgresConfig } from './datasource.mjs'

export async function createPostgresConnector({ url, shadowDatabaseUrl }) {
  const { config, schema } = postgresConfig(url)
  const adapterFactory = new PrismaPg(config, schema ? { schema } : undefined)
  return { adapterFactory }
}
