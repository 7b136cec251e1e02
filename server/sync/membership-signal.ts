/**
 * "A plan's members changed": said by the use cases that change plan_members (from server
 * actions, inside Next's bundle) and heard by this process's membership watch, which then checks
 * that plan's open connections at once instead of at its next poll. Kept on `globalThis`, since
 * Next may evaluate this module a second time. Other instances still learn of it by polling.
 */
type Listener = (planId: string) => void;

const listenersKey = Symbol.for('coplan.membership-listeners');
type SignalGlobal = typeof globalThis & { [listenersKey]?: Set<Listener> };
const signalGlobal = globalThis as SignalGlobal;

function listeners(): Set<Listener> {
  signalGlobal[listenersKey] ??= new Set();
  return signalGlobal[listenersKey];
}

/** Registers a listener; returns the function that removes it. */
export function onMembershipChanged(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function signalMembershipChanged(planId: string): void {
  for (const listener of listeners()) listener(planId);
}
