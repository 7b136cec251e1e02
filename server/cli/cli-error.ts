/**
 * An error the admin CLI reports as one line on stderr, with its exit code: 1 for a refused
 * request (unknown organisation, duplicate email…), 2 for a command line that does not parse
 * (the usage is printed with it).
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly showUsage: boolean;

  constructor(message: string, options: { exitCode?: number; showUsage?: boolean } = {}) {
    super(message);
    this.name = 'CliError';
    this.showUsage = options.showUsage ?? false;
    this.exitCode = options.exitCode ?? (this.showUsage ? 2 : 1);
  }
}
