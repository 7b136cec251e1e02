/** Where the e2e server listens; a port of its own so it never meets a developer's `npm start`. */
export const e2ePort = Number(process.env.E2E_PORT ?? 3199);
export const e2eBaseUrl = `http://localhost:${e2ePort}`;
