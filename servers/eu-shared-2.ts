import { defineServer } from '../tenants/registry';

// A shared RDS server in Frankfurt. Its admin's password: PGPASSWORD_EU_SHARED_2 (or ~/.pgpass), never this file.
export default defineServer({
  name: 'eu-shared-2',
  host: 'eu-shared-2.c1example.eu-central-1.rds.amazonaws.com',
  port: 5432,
  sslmode: 'verify-full',
  rootCertificate: 'certs/rds-ca-bundle.pem',
  adminRole: 'usual_store_admin',
  maxConnections: 400,
  reservedConnections: 3,
  kind: 'rds',
  region: 'eu-central-1',
  postgresVersion: 16,
  labels: { tier: 'shared', team: 'platform' },
});
