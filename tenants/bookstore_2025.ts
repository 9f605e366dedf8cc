import { defineTenant } from './registry';

export default defineTenant({
  key: 'bookstore_2025',
  company: 'Bookstore 2025 Ltd',
  plan: 'enterprise',
  database: { name: 'bookstore_2025', server: 'eu-shared-2' },
  people: {
    admins: [
      { username: 'alice', email: 'alice@bookstore2025.example' },
      { username: 'grace', email: 'grace@bookstore2025.example' },
    ],
    developers: [{ username: 'heidi', email: 'heidi@bookstore2025.example' }],
    customers: [
      { username: 'ivan', email: 'ivan@bookstore2025.example' },
      { username: 'judy', email: 'judy@bookstore2025.example' },
    ],
  },
  app: { target: 'docker', port: 4003, frontend: { port: 5003 } },
  tags: { costCenter: 'books' },
});
