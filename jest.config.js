/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // postgrator ships ES modules only; Jest's CommonJS runtime needs them compiled.
    '/node_modules/postgrator/.+\\.js$': '<rootDir>/__tests__/support/esm-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!postgrator/)'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  testTimeout: 60000,
};
