import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./app/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server packages with native code, WebAssembly or process-wide state are loaded by Node, not
  // bundled: the custom server (server/) and Next's bundle must share one copy of each.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@node-rs/argon2',
    'postgres',
    'drizzle-orm',
    'pino',
    'yjs',
    'ws',
  ],
  images: { unoptimized: true },
};

export default withNextIntl(nextConfig);
