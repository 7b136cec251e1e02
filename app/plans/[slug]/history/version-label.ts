import type { VersionSummary } from '../../../../domain/versions';

/** The message key of a version's kind. */
export function kindKey(kind: VersionSummary['kind']) {
  return kind === 'daily' ? 'kindDaily' : kind === 'named' ? 'kindNamed' : 'kindBeforeRestore';
}
