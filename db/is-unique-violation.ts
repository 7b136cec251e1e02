/**
 * Recognises PostgreSQL's unique_violation (SQLSTATE 23505) whichever driver raised it:
 * postgres.js's PostgresError and PGlite's DatabaseError both carry `code`, and Drizzle wraps
 * either in a DrizzleQueryError whose `cause` is the driver's error.
 *
 * `constraint` narrows it to one constraint (e.g. "users_email_unique"): postgres.js names it
 * `constraint_name`, PGlite `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const fields = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (fields.code === '23505') {
      if (constraint === undefined) return true;
      return (fields.constraint_name ?? fields.constraint) === constraint;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
