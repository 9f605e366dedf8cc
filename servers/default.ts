import { defineServer } from '../tenants/registry';

// The server the deploying environment points at (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE or --url):
// tenants that name no server are here. This file only states what the environment cannot: its capacity.
export default defineServer({
  name: 'default',
  maxConnections: 200,
  reservedConnections: 3,
  labels: { tier: 'shared' },
});
