// A restricted paper on agenda items, from the agenda editor. The meeting document is read by
// every participant, so it may not name such a paper: the hub keeps those links
// (`agendaItems` of PATCH /api/papers/:id) and gives them to the paper's readers in the papers list.
import { ROUTES } from '../../shared/routes.ts';
import type { Api } from '../api.ts';

export interface AttachablePaper {
  id: string;
  title: string;
  /** Kept out of the meeting document: its agenda items are the hub's (`agendaItemIds`). */
  restricted?: boolean;
  agendaItemIds?: string[];
}

/** The restricted papers on `itemId`, which the item in the document does not list. */
export const restrictedOn = (papers: readonly AttachablePaper[], itemId: string): string[] =>
  papers.filter((p) => p.restricted && p.agendaItemIds?.includes(itemId)).map((p) => p.id);

/**
 * Asks the hub to put each restricted paper among `ticked` on the item, and to take the others off
 * it; only the papers whose link changes are sent. A refusal reaches `onError`.
 */
export function linkRestricted(api: Api, papers: readonly AttachablePaper[], itemId: string, ticked: readonly string[], onError: (err: unknown) => void): void {
  for (const p of papers) {
    if (!p.restricted) continue;
    const now = ticked.includes(p.id);
    if ((p.agendaItemIds?.includes(itemId) ?? false) === now) continue;
    api.call(ROUTES.updatePaper, { params: { id: p.id }, body: { agendaItems: now ? { add: [itemId] } : { remove: [itemId] } } }).catch(onError);
  }
}
