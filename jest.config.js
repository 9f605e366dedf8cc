// The suites in four tiers, each a Jest project; `npm test -- --selectProjects unit` runs one:
//   unit       pure functions, the registry, synthesis in-process: the fast loop
//   cli        the CLI in-process and as a process, the app (main.ts) as a process, a real terminal (node-pty)
//   pg         *.pg.test.ts: throwaway PostgreSQL servers
//   terraform  the real terraform and cdktf binaries (offline, against the provider mirror)
const PG = ['**/__tests__/**/*.pg.test.ts'];
const TERRAFORM = ['**/__tests__/aws-terraform.test.ts', '**/__tests__/docdb-terraform.test.ts', '**/__tests__/plan-guard.test.ts', '**/__tests__/cdktf-cli.test.ts'];
const CLI = ['**/__tests__/cli*.test.ts', '**/__tests__/import-tfvars.test.ts', '**/__tests__/synth.test.ts', '**/__tests__/synth-cache.test.ts', '**/__tests__/review.test.ts', '**/__tests__/ci-workflows.test.ts'];

/** What every project shares. */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // Jest's default is one worker less than the cores: one worker on a 2-core machine. The suites
  // mostly wait (for PostgreSQL servers, terraform, child processes), so two or more run well side
  // by side: at least 2, at most the cores.
  maxWorkers: Math.max(2, require('node:os').availableParallelism()),
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/__tests__/**/*.test.ts', ...[...PG, ...TERRAFORM, ...CLI].map((glob) => `!${glob}`)] },
    { ...common, displayName: 'cli', testMatch: CLI },
    { ...common, displayName: 'pg', testMatch: PG },
    { ...common, displayName: 'terraform', testMatch: TERRAFORM },
  ],
};
