import { defineTenant } from './registry';

export default defineTenant({
  key: 'hardware_store',
  company: 'Hardware Store LLC',
  plan: 'starter',
  database: { name: 'hardware_store' },
  people: {
    admins: [{ username: 'alice', email: 'alice@hardware-store.example' }],
    developers: [{ username: 'frank', email: 'frank@hardware-store.example' }],
  },
  app: { target: 'docker', port: 4002 },
});
