import { defineTenant } from './registry';

export default defineTenant({
  key: 'building_shop',
  company: 'Building Shop Inc',
  plan: 'professional',
  database: { name: 'building_shop' },
  people: {
    admins: [{ username: 'bob', email: 'bob@building-shop.example' }],
    developers: [
      { username: 'dana', email: 'dana@building-shop.example' },
      { username: 'eli', email: 'eli@building-shop.example' },
    ],
    customers: [{ username: 'carol', email: 'carol@building-shop.example' }],
  },
  app: { target: 'docker', port: 4001, frontend: { port: 5001 } },
  tags: { costCenter: 'retail' },
});
