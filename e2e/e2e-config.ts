import { locales, type Locale } from '../domain/locales';

/** Where the e2e server listens; a port of its own so it never meets a developer's `npm start`. */
export const e2ePort = Number(process.env.E2E_PORT ?? 3199);
export const e2eBaseUrl = `http://localhost:${e2ePort}`;

/**
 * The languages the per-language checks (axe, layout, screenshots) run in. `npm test` runs them
 * in Khmer only: the script that most often breaks a layout (long words without spaces, tall
 * glyphs), and the one least likely to be seen by a developer. `npm run test:e2e:all-languages`
 * (E2E_ALL_LANGUAGES=1) runs every language and writes every screenshot; run it after a change
 * to a page. The messages themselves are checked in all three languages by the unit tests.
 */
export const checkedLocales: readonly Locale[] =
  process.env.E2E_ALL_LANGUAGES === '1' ? locales : ['km'];
