// Production: `npm start`. NODE_ENV must be set before Next and React load.
(process.env as Record<string, string>).NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const { runServer } = await import('./run-server');
await runServer({ dev: false });
export {};
