import { defineTenant } from './registry';

export default defineTenant({
  key: 'online_store_2025',
  company: 'Online Store 2025 GmbH',
  plan: 'enterprise',
  database: { name: 'online_store_2025' },
  people: {
    admins: [
      { username: 'mallory', email: 'mallory@onlinestore2025.example' },
      { username: 'niaj', email: 'niaj@onlinestore2025.example' },
    ],
    developers: [
      { username: 'olivia', email: 'olivia@onlinestore2025.example' },
      { username: 'peggy', email: 'peggy@onlinestore2025.example' },
      { username: 'rupert', email: 'rupert@onlinestore2025.example' },
    ],
    customers: [
      { username: 'sybil', email: 'sybil@onlinestore2025.example' },
      { username: 'trent', email: 'trent@onlinestore2025.example' },
    ],
  },
  app: {
    target: 'lambda',
    region: 'eu-central-1',
    artifact: {
      s3Bucket: 'usualstore-artifacts-eu-central-1',
      s3Key: 'api/1.0.0/bootstrap.zip',
      s3ObjectVersion: 'Xb5m1pTq0Yv3RkZ8nWc2LsHd7EuJa9Qf',
    },
    frontend: true,
  },
  tags: { costCenter: 'online' },
});
