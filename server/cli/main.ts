/**
 * The admin CLI: `npm run coplan -- <command>` (see `usage` in parse-command.ts).
 *
 * `runCli` does the work and returns the exit code, so tests call it with their own streams and
 * environment instead of spawning a process. Every refusal is one line on stderr.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';

import { fileURLToPath } from 'node:url';

import { DataDirLockedError } from '../../db/data-dir-lock';
import { addMember } from './add-member';
import { addUser, checkNewPassword, checkNewUserEmail } from './add-user';
import { prepareCliDatabase, type CliDatabaseEnv } from './cli-database';
import { CliError } from './cli-error';
import { exportPlan } from './export-plan';
import { importPlan, parsePlanFile } from './import-plan';
import { serialisePlanFile, type PlanFile } from './plan-file';
import { listPlans } from './list-plans';
import { setPassword } from './set-password';
import { parseCommand, usage, type CliCommand } from './parse-command';
import { readPassword, type PasswordInput } from './read-password';

export interface CliIo {
  stdin: PasswordInput;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: CliDatabaseEnv;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.kind === 'help') {
      io.stdout.write(usage);
      return 0;
    }
    io.stdout.write(`${await runCommand(command, io)}\n`);
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

async function runCommand(command: Exclude<CliCommand, { kind: 'help' }>, io: CliIo) {
  if (command.kind === 'user add') checkNewUserEmail(command.email);
  // A file that does not parse is refused before the database is locked or opened.
  const planFile = command.kind === 'plan import' ? await readPlanFile(command.file) : null;
  // Taking the lock first refuses at once while the server runs, before asking for a password.
  const database = prepareCliDatabase(io.env);
  try {
    switch (command.kind) {
      case 'user add': {
        const password = await readPassword(io.stdin, io.stderr);
        checkNewPassword(password);
        const { db } = await database.open();
        return await addUser(db, { ...command, password });
      }
      case 'user set-password': {
        const password = await readPassword(io.stdin, io.stderr);
        checkNewPassword(password);
        const { db } = await database.open();
        return await setPassword(db, { email: command.email, password });
      }
      case 'member add':
        return await addMember((await database.open()).db, command);
      case 'plan list':
        return await listPlans((await database.open()).db);
      case 'plan export': {
        const file = await exportPlan((await database.open()).db, command.planSlug);
        const text = serialisePlanFile(file);
        if (command.out === null) return text.trimEnd();
        // Written beside and renamed, so an interrupted export never leaves half a file.
        const partial = `${command.out}.partial`;
        await writeFile(partial, text, { mode: 0o600 });
        await rename(partial, command.out);
        return `wrote plan ${file.plan.slug} to ${command.out} (${file.members.length} member(s), ${file.comments.length} comment(s))`;
      }
      case 'plan import':
        if (!planFile) throw new Error('the plan file was not read');
        return await importPlan((await database.open()).db, planFile, {
          slug: command.slug ?? undefined,
        });
    }
  } finally {
    await database.close();
  }
}

async function readPlanFile(file: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parsePlanFile(text);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CliError) {
    io.stderr.write(`coplan: ${error.message}\n`);
    if (error.showUsage) io.stderr.write(`\n${usage}`);
    return error.exitCode;
  }
  if (error instanceof DataDirLockedError) {
    io.stderr.write(`coplan: ${error.message}\n`);
    return 1;
  }
  // Anything else (the database unreachable, say): its first line, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`coplan: ${message.split('\n')[0] ?? 'failed'}\n`);
  return 1;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  // Exit now rather than wait on a handle a driver may leave behind; stdout is flushed first.
  process.stdout.write('', () => process.exit(code));
}
