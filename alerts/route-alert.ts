import type { AlertRoute, ConversationRef } from '../core/index.js';

/** The first route whose every matcher equals the group's label (common labels, then group labels); undefined: none. */
export function routeFor(routes: readonly AlertRoute[], labels: { commonLabels: Record<string, string>; groupLabels: Record<string, string> }): ConversationRef | undefined {
  const value = (name: string) => labels.commonLabels[name] ?? labels.groupLabels[name];
  const route = routes.find((candidate) => Object.entries(candidate.match).every(([name, wanted]) => value(name) === wanted));
  return route ? { ...route.conversation } : undefined;
}
