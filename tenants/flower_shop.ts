import { defineTenant } from './registry';

export default defineTenant({
  key: 'flower_shop',
  company: 'Flower Shop AG',
  plan: 'professional',
  database: { name: 'flower_shop' },
  people: {
    admins: [{ username: 'flora', email: 'flora@flower-shop.example' }],
    developers: [{ username: 'iris', email: 'iris@flower-shop.example' }],
    customers: [{ username: 'rose', email: 'rose@flower-shop.example' }],
  },
  app: {
    target: 'kubernetes',
    frontend: {},
    databaseServer: { host: 'db.internal.example', cidrs: ['10.20.0.15/32'] },
    ingress: { host: 'api.flower-shop.example', frontendHost: 'flower-shop.example', tlsSecret: 'flower-shop-tls' },
  },
  tags: { costCenter: 'flowers' },
});
