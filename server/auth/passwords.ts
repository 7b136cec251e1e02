/**
 * Password hashing: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), a few
 * tens of milliseconds per hash on this machine. The parameters travel inside each hash (PHC
 * string), so raising them later leaves existing hashes verifiable.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';

export const minPasswordLength = 12;

// The package declares its algorithms as an ambient const enum, which isolatedModules cannot
// read; 2 is Algorithm.Argon2id.
const argon2id = 2 as Algorithm;

const options = { algorithm: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** False for a wrong password and for a stored hash that cannot be read. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
