/**
 * The admin CLI's command line, parsed into one typed command. Missing or unknown flags are
 * usage errors (exit 2); values that parse but name nothing we know (an organisation, a role)
 * are refusals (exit 1), like every other check the commands make.
 */
import { parseArgs } from 'node:util';

import {
  organisationCodes,
  parseOrganisationCode,
  type OrganisationCode,
} from '../../domain/organisations';
import { isRole, roles, type Role } from '../../domain/roles';
import { CliError } from './cli-error';

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'user add'; email: string; name: string; organisation: OrganisationCode }
  | { kind: 'user set-password'; email: string }
  | { kind: 'member add'; planSlug: string; email: string; role: Role }
  | { kind: 'plan list' }
  | { kind: 'plan export'; planSlug: string; out: string | null }
  | { kind: 'plan import'; file: string; slug: string | null };

export const usage = `Usage: npm run coplan -- <command>

Commands:
  user add --email EMAIL --name NAME --org ORG
      Create an account. The password is read from stdin: typed (hidden) on a
      terminal, or one line piped in: echo 'a long password' | npm run coplan -- user add …
  user set-password --email EMAIL
      Set a user's password (read from stdin, as for user add), e.g. for accounts
      a plan import created without one. Every session of the user ends: their
      open windows are signed out within seconds.
  member add --plan SLUG --email EMAIL --role ROLE
      Add a user to a plan, or change the role of one who is already a member.
  plan list
      List the plans with their member counts.
  plan export SLUG [--out FILE]
      Write one plan (document, members, comments) as a portable JSON file, to
      FILE or to stdout. Saved versions and the activity log are not included.
  plan import FILE [--slug NEW-SLUG]
      Create a plan from an exported file, in one transaction. Refuses a slug
      that exists; --slug imports under a new one. Missing accounts are created
      without a password (see user set-password).

ORG is one of ${organisationCodes.join(', ')} (any case).
ROLE is one of ${roles.join(', ')}.

The database is PostgreSQL when DATABASE_URL is set, otherwise the embedded one in
COPLAN_DATA_DIR (default ./.data), which the CLI cannot open while the server runs.
`;

function usageError(message: string): CliError {
  return new CliError(message, { showUsage: true });
}

function parseFlags<const Names extends readonly string[]>(
  command: string,
  args: readonly string[],
  names: Names,
): Record<Names[number], string> {
  return parseFlagsAndPositionals(command, args, names, [], 0).flags;
}

/** Flags (`names` required, `optional` not) and exactly `positionalCount` positionals. */
function parseFlagsAndPositionals<
  const Names extends readonly string[],
  const Optional extends readonly string[],
>(
  command: string,
  args: readonly string[],
  names: Names,
  optional: Optional,
  positionalCount: number,
): {
  flags: Record<Names[number], string> & Partial<Record<Optional[number], string>>;
  positionals: string[];
} {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        [...names, ...optional].map((name) => [name, { type: 'string' as const }]),
      ),
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    throw usageError(`${command}: ${(error as Error).message}`);
  }
  if (positionals.length > positionalCount) {
    throw usageError(`${command}: unexpected "${positionals[positionalCount]}"`);
  }
  if (positionals.length < positionalCount) throw usageError(`${command}: missing argument`);
  const result: Record<string, string> = {};
  for (const name of optional) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw usageError(`${command}: --${name} needs a value`);
    }
    result[name] = value.trim();
  }
  for (const name of names) {
    const value = values[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw usageError(`${command}: --${name} is required`);
    }
    result[name] = value.trim();
  }
  return {
    flags: result as Record<Names[number], string> & Partial<Record<Optional[number], string>>,
    positionals,
  };
}

export function parseCommand(argv: readonly string[]): CliCommand {
  if (argv.length === 0) throw usageError('no command given');
  if (argv.some((arg) => arg === '--help' || arg === '-h') || argv[0] === 'help') {
    return { kind: 'help' };
  }
  const [noun, verb, ...rest] = argv;
  const command = `${noun ?? ''} ${verb ?? ''}`.trim();
  switch (command) {
    case 'user add': {
      const flags = parseFlags(command, rest, ['email', 'name', 'org'] as const);
      const organisation = parseOrganisationCode(flags.org);
      if (!organisation) {
        throw new CliError(
          `unknown organisation "${flags.org}"; use one of ${organisationCodes.join(', ')}`,
        );
      }
      return { kind: command, email: flags.email, name: flags.name, organisation };
    }
    case 'user set-password': {
      const flags = parseFlags(command, rest, ['email'] as const);
      return { kind: command, email: flags.email };
    }
    case 'member add': {
      const flags = parseFlags(command, rest, ['plan', 'email', 'role'] as const);
      const role = flags.role.toLowerCase();
      if (!isRole(role)) {
        throw new CliError(`unknown role "${flags.role}"; use one of ${roles.join(', ')}`);
      }
      return { kind: command, planSlug: flags.plan, email: flags.email, role };
    }
    case 'plan list':
      parseFlags(command, rest, [] as const);
      return { kind: command };
    case 'plan export': {
      const { flags, positionals } = parseFlagsAndPositionals(command, rest, [], ['out'], 1);
      return { kind: command, planSlug: positionals[0] ?? '', out: flags.out ?? null };
    }
    case 'plan import': {
      const { flags, positionals } = parseFlagsAndPositionals(command, rest, [], ['slug'], 1);
      return { kind: command, file: positionals[0] ?? '', slug: flags.slug ?? null };
    }
    default:
      throw usageError(`unknown command "${command}"`);
  }
}
