/**
 * next-auth configuration: email + password, JWT sessions of at most 12 hours. Used by the
 * route handler app/api/auth/[...nextauth] and by `getCurrentUser` in server components.
 * The custom server reads the same cookie on WebSocket upgrades (session-cookie.ts).
 */
import type { NextAuthOptions } from 'next-auth';
import credentialsProvider from 'next-auth/providers/credentials';

import { isOrganisationCode } from '../../domain/organisations';
import { authenticateWithPassword } from '../use-cases/authenticate-with-password';
import { interopDefault } from './interop-default';
import { readSessionVersion } from './session-cookie';
import { sessionMaxAgeSeconds } from './session-user';
import { endAllSessions } from './session-version';

const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

// The custom server imports these options too (http/auth-routes.ts), through Node's loader.
const CredentialsProvider = interopDefault(credentialsProvider);

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: sessionMaxAgeSeconds },
  jwt: { maxAge: sessionMaxAgeSeconds },
  pages: { signIn: '/sign-in', signOut: '/sign-out', error: '/sign-in' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const user = await authenticateWithPassword(credentials);
        if (!user) return null;
        return {
          id: user.id,
          name: user.name,
          email: user.email,
          organisation: user.organisation,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ],
  events: {
    // Signing out ends every session of the user, and their open connections close.
    async signOut({ token }) {
      if (typeof token?.sub === 'string' && isUuid(token.sub)) await endAllSessions(token.sub);
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user && 'organisation' in user && isOrganisationCode(user.organisation)) {
        token.sub = user.id;
        token.organisation = user.organisation;
        // Compared with the stored version wherever the session is read (session-version.ts).
        token.sessionVersion = 'sessionVersion' in user ? user.sessionVersion : 0;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.sub === 'string') {
        Object.assign(session.user, {
          id: token.sub,
          organisation: token.organisation,
          sessionVersion: readSessionVersion(token.sessionVersion),
        });
      }
      return session;
    },
  },
};
