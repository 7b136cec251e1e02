import type { Locale } from '../../domain/locales';
import { csvFileName, writeIndicatorsCsv, writeItemsCsv } from '../../domain/plan-csv';
import { listPlanItems, type ProjectionFreshness } from './list-plan-items';

export type CsvExportKind = 'items' | 'indicators';

/**
 * One of a plan's CSV files, for any member, from the relational projection brought up to the
 * stored log first. The day in the name is UTC, like every plan date.
 */
export async function exportPlanCsv(
  input: { slug: string; userId: string; kind: CsvExportKind; locale: Locale; now?: Date },
  projection: ProjectionFreshness,
): Promise<{ fileName: string; body: string }> {
  const { plan, items } = await listPlanItems(input.slug, input.userId, projection);
  const day = (input.now ?? new Date()).toISOString().slice(0, 10);
  const body =
    input.kind === 'items'
      ? writeItemsCsv(items, input.locale)
      : writeIndicatorsCsv(items, input.locale);
  return { fileName: csvFileName(plan, input.kind, day), body };
}
