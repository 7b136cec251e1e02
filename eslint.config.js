import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import tseslint from 'typescript-eslint';

/**
 * Imports go one way: domain ← db ← server ← app. Each folder's rule names what it may import.
 */
const boundary = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((folder) => ({
          group: [`**/${folder}/**`, `../${folder}`],
          message,
        })),
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      'db/migrations/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  boundary(
    ['domain/**'],
    ['db', 'server', 'app'],
    'domain/ is pure and shared: it imports nothing from db/, server/ or app/.',
  ),
  boundary(['db/**'], ['server', 'app'], 'db/ may import domain/ only.'),
  boundary(['server/**'], ['app'], 'server/ may import domain/ and db/, never app/.'),
  boundary(
    ['app/**/*.tsx', 'app/lib/**'],
    ['db'],
    'app/ reaches the database through server/ use cases, not db/ directly.',
  ),
);
