import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{domain,db,server,app}/**/*.test.ts', '.ci/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{domain,db,server,app}/**/*.integration.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts real servers and databases; two cores run two files at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
