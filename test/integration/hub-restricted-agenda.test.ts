// Restricting a paper on an agenda item, through the real hub process (issue 16, problem 6): its
// readers still find it on that item, nobody else learns of it from the meeting document, and
// lifting the restriction puts it back on the item for everyone — also after a hub restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startHubIn, type HubUnderTest } from './hub-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import type { MeetingSummary } from '../../shared/api.ts';

type ListedPaper = { id: string; title: string; restricted: boolean; agendaItemIds?: string[] };
const TITLE = 'Digital Strategy 2027–2030';

let hub: HubUnderTest;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let meetingId: string;

async function signAll(): Promise<void> {
  for (const login of ['secretary', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    ids[login] = s.user.id;
  }
}
const list = async (login: string) => (await api<ListedPaper[]>(hub.url, tokens[login]!, `/api/meetings/${meetingId}/papers`)).body;
const restrict = (paperId: string, restrictTo: string[] | null) =>
  api(hub.url, tokens.secretary!, `/api/papers/${paperId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restrictTo }) });
const itemHolding = (c: YClient, paperId: string) => meetingDoc.readAgenda(c.doc).find((i) => i.paperIds.includes(paperId))?.id ?? null;

describe('a restricted paper keeps its agenda item', () => {
  beforeAll(async () => {
    hub = await startHubIn(undefined, { demo: true });
    await signAll();
    meetingId = (await api<MeetingSummary[]>(hub.url, tokens.secretary!, '/api/meetings')).body.find((m) => /Council meeting/.test(m.title))!.id;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('for its readers only, and goes back onto the item when the restriction is lifted', async () => {
    const paper = (await list('secretary')).find((p) => p.title === TITLE)!;
    const other = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate2!);
    await waitSynced(other);
    const itemId = itemHolding(other, paper.id)!;
    expect(itemId).toBeTruthy();

    expect((await restrict(paper.id, [ids.delegate1!])).status).toBe(200);
    // The meeting document, which delegate2 replicates, names the paper nowhere.
    await waitFor(() => itemHolding(other, paper.id) === null, 10_000, 'the paper leaves the shared agenda');
    const shared = JSON.stringify(other.doc.toJSON());
    expect(shared).not.toContain(paper.id);
    expect(shared).not.toContain(TITLE);
    // Its reader and the secretary learn its item from the list; delegate2 does not see it at all.
    expect((await list('delegate1')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([itemId]);
    expect((await list('secretary')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([itemId]);
    expect((await list('delegate2')).some((p) => p.id === paper.id)).toBe(false);
    other.destroy();

    // The link is the hub's, kept on disk: a restarted hub still knows it and restores it.
    await hub.stop();
    hub = await startHubIn(hub.dataDir);
    await signAll();
    expect((await list('delegate1')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([itemId]);

    expect((await restrict(paper.id, null)).status).toBe(200);
    const again = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate2!);
    await waitSynced(again);
    await waitFor(() => itemHolding(again, paper.id) === itemId, 10_000, 'the paper is back on its item');
    expect(meetingDoc.readAgenda(again.doc).find((i) => i.id === itemId)!.paperIds.filter((p) => p === paper.id)).toHaveLength(1);
    const back = (await list('delegate2')).find((p) => p.id === paper.id)!;
    expect(back.restricted).toBe(false);
    expect(back.agendaItemIds).toBeUndefined();
    again.destroy();
  });

  it('is put on an item and taken off it by the hub, never through the meeting document', async () => {
    const paper = (await list('secretary')).find((p) => p.title === TITLE)!;
    const patch = (login: string, body: unknown) => api<{ error?: string }>(hub.url, tokens[login]!, `/api/papers/${paper.id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const other = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate2!);
    await waitSynced(other);
    const [first, second] = meetingDoc.readAgenda(other.doc).map((i) => i.id).filter((id) => id !== itemHolding(other, paper.id));
    // An open paper's items are the document's: the hub will not keep a second list of them.
    expect((await patch('secretary', { agendaItems: { add: [first] } })).body.error).toBe('in_document');

    expect((await restrict(paper.id, [ids.delegate1!])).status).toBe(200);
    const held = (await list('delegate1')).find((p) => p.id === paper.id)!.agendaItemIds!;
    expect((await patch('secretary', { agendaItems: { add: [first, second] } })).status).toBe(200);
    expect((await list('delegate1')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([...held, first, second]);
    expect((await patch('secretary', { agendaItems: { remove: [first] } })).status).toBe(200);
    expect((await list('delegate1')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([...held, second]);
    expect(JSON.stringify(other.doc.toJSON())).not.toContain(paper.id);

    // Refused, and nothing changed: a reader, a malformed body, a restriction in the same request.
    expect((await patch('delegate1', { agendaItems: { add: [first] } })).status).toBe(403);
    expect((await patch('secretary', { agendaItems: { add: ['../x'] } })).status).toBe(400);
    expect((await patch('secretary', { agendaItems: { add: [first] }, extra: 1 })).status).toBe(400);
    expect((await patch('secretary', { agendaItems: { add: [first] }, restrictTo: null })).status).toBe(400);
    expect((await list('delegate1')).find((p) => p.id === paper.id)?.agendaItemIds).toEqual([...held, second]);

    // Lifting the restriction puts it on every item it was kept on, for everyone.
    expect((await restrict(paper.id, null)).status).toBe(200);
    await waitFor(() => meetingDoc.readAgenda(other.doc).find((i) => i.id === second)?.paperIds.includes(paper.id) ?? false, 10_000, 'the paper on its new item');
    other.destroy();
  });
});
