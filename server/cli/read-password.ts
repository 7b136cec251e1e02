/**
 * Reads a password from stdin: typed without echo (twice) when stdin is a terminal, otherwise the
 * first line of whatever is piped in. Passwords never go through argv, where `ps` and shell
 * history would keep them.
 */
import type { Readable } from 'node:stream';

import { CliError } from './cli-error';

export type PasswordInput = Readable & {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
};

export interface PromptOutput {
  write(text: string): unknown;
}

export async function readPassword(stdin: PasswordInput, prompt: PromptOutput): Promise<string> {
  if (stdin.isTTY && stdin.setRawMode) {
    const password = await readHidden(stdin, prompt, 'Password: ');
    const repeated = await readHidden(stdin, prompt, 'Repeat the password: ');
    if (password !== repeated) throw new CliError('the two passwords differ');
    return password;
  }
  return readFirstLine(stdin);
}

async function readFirstLine(stdin: Readable): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  // Leaving the loop early destroys the stream, which is what we want: nothing else reads it.
  for await (const chunk of stdin) {
    text +=
      typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    const end = text.indexOf('\n');
    if (end >= 0) return stripCarriageReturn(text.slice(0, end));
  }
  text += decoder.decode();
  if (text === '') throw new CliError('no password on stdin (pipe one line, or run in a terminal)');
  return stripCarriageReturn(text);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function readHidden(stdin: PasswordInput, prompt: PromptOutput, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let password = '';
    const finish = (error?: CliError) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(password);
    };
    // Raw mode hands us keys as typed (a paste arrives as one chunk), and no echo.
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError('cancelled', { exitCode: 130 }));
        if (char === '\u007f' || char === '\b') password = [...password].slice(0, -1).join('');
        else if (char >= ' ') password += char;
      }
    };
    prompt.write(label);
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
