// Development with hot reload: `npm run dev`.
(process.env as Record<string, string>).NODE_ENV = 'development';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const { runServer } = await import('./run-server');
await runServer({ dev: true });
export {};
