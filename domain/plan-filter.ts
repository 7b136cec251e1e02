/**
 * Which items a view shows: filters by workstream, status, lead organisation, owner and text,
 * plus the one-click "what HTC owes / what NPIA owes / what involves ILO". The filter lives in
 * the page's URL, so a filtered view can be bookmarked and shared; `parsePlanFilter` reads it
 * back and ignores anything it does not understand.
 */
import { organisationCodes, type OrganisationCode } from './organisations';
import { itemStatuses, type Item, type ItemStatus } from './plan-document';
import type { PlanMember } from './roles';

export const planViews = ['board', 'timeline', 'table'] as const;
export type PlanViewName = (typeof planViews)[number];

/** The organisations the one-click filter offers: the two colleges and the ILO. */
export const partyCodes = ['HTC', 'NPIA', 'ILO'] as const satisfies readonly OrganisationCode[];
export type PartyCode = (typeof partyCodes)[number];

export interface PlanFilter {
  workstreams: string[];
  statuses: ItemStatus[];
  leadOrgs: OrganisationCode[];
  owners: string[];
  /** An organisation: items it leads or that one of its people owns. */
  party: PartyCode | null;
  text: string;
}

export const emptyPlanFilter: PlanFilter = {
  workstreams: [],
  statuses: [],
  leadOrgs: [],
  owners: [],
  party: null,
  text: '',
};

const maxTextLength = 200;
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

function list(params: URLSearchParams, key: string): string[] {
  const raw = params.get(key);
  if (!raw) return [];
  return [...new Set(raw.split(',').filter((value) => value.length > 0))].slice(0, 100);
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): value is T => (allowed as readonly string[]).includes(value);
}

export function parsePlanFilter(params: URLSearchParams): PlanFilter {
  const party = params.get('party');
  return {
    workstreams: list(params, 'ws').filter((value) => idPattern.test(value)),
    statuses: list(params, 'status').filter(oneOf(itemStatuses)),
    leadOrgs: list(params, 'lead').filter(oneOf(organisationCodes)),
    owners: list(params, 'owner').filter((value) => idPattern.test(value)),
    party: party && oneOf(partyCodes)(party) ? party : null,
    text: (params.get('q') ?? '').slice(0, maxTextLength),
  };
}

/** Writes the filter into `params` (other keys are kept), leaving out what is empty. */
export function writePlanFilter(params: URLSearchParams, filter: PlanFilter): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string) => {
    if (value) next.set(key, value);
    else next.delete(key);
  };
  set('ws', filter.workstreams.join(','));
  set('status', filter.statuses.join(','));
  set('lead', filter.leadOrgs.join(','));
  set('owner', filter.owners.join(','));
  set('party', filter.party ?? '');
  set('q', filter.text.trim() ? filter.text : '');
  return next;
}

export function parsePlanViewName(params: URLSearchParams): PlanViewName {
  const view = params.get('view');
  return view && oneOf(planViews)(view) ? view : 'board';
}

export function isFilterActive(filter: PlanFilter): boolean {
  return (
    filter.workstreams.length > 0 ||
    filter.statuses.length > 0 ||
    filter.leadOrgs.length > 0 ||
    filter.owners.length > 0 ||
    filter.party !== null ||
    filter.text.trim().length > 0
  );
}

/** Case- and width-insensitive text for matching (full-width Latin letters fold too). */
function normalise(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase();
}

/** The items the filter lets through, in their order. */
export function filterItems(items: Item[], filter: PlanFilter, members: PlanMember[]): Item[] {
  if (!isFilterActive(filter)) return items;
  const organisationOf = new Map(members.map((member) => [member.id, member.organisation]));
  const words = normalise(filter.text).split(/\s+/).filter(Boolean);
  const workstreams = new Set(filter.workstreams);
  const statuses = new Set<string>(filter.statuses);
  const leadOrgs = new Set<string>(filter.leadOrgs);
  const owners = new Set(filter.owners);
  return items.filter((item) => {
    if (workstreams.size > 0 && !workstreams.has(item.workstreamId)) return false;
    if (statuses.size > 0 && !statuses.has(item.status)) return false;
    if (leadOrgs.size > 0 && !leadOrgs.has(item.leadOrg)) return false;
    if (owners.size > 0 && !item.owners.some((owner) => owners.has(owner))) return false;
    if (
      filter.party !== null &&
      item.leadOrg !== filter.party &&
      !item.owners.some((owner) => organisationOf.get(owner) === filter.party)
    ) {
      return false;
    }
    if (words.length > 0) {
      const haystack = normalise([item.title, ...item.tags].join(' '));
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  });
}
