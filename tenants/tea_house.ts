import { defineTenant } from './registry';

export default defineTenant({
  key: 'tea_house',
  company: 'Tea House KG',
  plan: 'free',
  // MongoDB in its own container on the Docker host; the name follows MongoDB's rules, not PostgreSQL's.
  database: { engine: 'mongodb', name: 'tea-house', placement: 'container', container: { port: 27101 } },
  people: {
    admins: [
      { username: 'greta', email: 'greta@teahouse.example' },
      { username: 'hugo', email: 'hugo@teahouse.example' },
    ],
    developers: [{ username: 'ole', email: 'ole@teahouse.example' }],
    customers: [{ username: 'pia', email: 'pia@teahouse.example' }],
  },
  app: { target: 'docker', port: 4090 },
  tags: { costCenter: 'tea' },
});
