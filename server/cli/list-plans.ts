import type { Database } from '../../db/database';
import { listPlansWithCounts } from '../../db/queries/plans';

/** The plans as an aligned table (slug, title, member count); returns the text to print. */
export async function listPlans(db: Database): Promise<string> {
  const plans = await listPlansWithCounts(db);
  if (plans.length === 0) return 'no plans yet (the server creates the first one when it starts)';
  const rows = [
    ['SLUG', 'TITLE', 'MEMBERS'],
    ...plans.map((plan) => [plan.slug, plan.title, String(plan.memberCount)]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
