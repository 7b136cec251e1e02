import { keepMentions } from '../../domain/comment-mentions';
import { listPlanMembers } from './list-plan-members';

/**
 * The mentions a comment keeps: the ids the author sent that are current members of the plan and
 * whose `@Name` the body still contains. The others are dropped silently, not refused: the author
 * may have picked someone and then deleted the text, or the member left meanwhile; a comment is
 * never lost over a stale mention. Checking membership here is what keeps a mention from
 * notifying (or revealing the plan to) someone who is not on it.
 */
export async function checkMentions(
  planId: string,
  body: string,
  ids: readonly string[] | undefined,
): Promise<string[]> {
  if (!ids || ids.length === 0) return [];
  return keepMentions(body, ids, await listPlanMembers(planId));
}
