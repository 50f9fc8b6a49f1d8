// Conclusions and decisions are found by `GET /api/search` on the real hub process: put, changed,
// removed, kept across a restart, and never shown to someone outside the meeting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Room } from './procedures-attendance-helpers.ts';
import { createDecision } from './records-helpers.ts';
import { searchResponseSchema, type SearchResponse } from '../../shared/search.ts';

const room = new Room();
let m: string; // delegate1 takes part; delegate3 does not

beforeAll(async () => {
  await room.start();
  m = await room.meeting({ chair: 'chair', delegate1: 'delegate' }, { agenda: ['item-a'] });
});
afterAll(() => room.stop());

async function search(login: Parameters<Room['call']>[0], q: string): Promise<SearchResponse> {
  const res = await room.call(login, 'GET', `/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return searchResponseSchema.parse(res.body);
}
const kinds = (r: SearchResponse) => r.records.filter((h) => h.meetingId === m).map((h) => [h.kind, h.refId]).sort();

describe('the record in search', () => {
  let decision: string;

  it('finds a conclusion and a decision by accent-free words, for those taking part only', async () => {
    const put = await room.call('chair', 'PUT', `/api/meetings/${m}/items/item-a/outcome`, { status: 'concluded', conclusion: 'Giao Sở Tài chính hoàn thiện phương án phân bổ.' });
    expect(put.status).toBe(200);
    decision = (await createDecision(room, m, { agendaItemId: 'item-a', kind: 'resolution', text: 'Phê duyệt phương án phân bổ vốn đầu tư công.' })).id;

    const found = await search('delegate1', 'phuong an phan bo');
    expect(kinds(found)).toEqual([['conclusion', 'item-a'], ['decision', decision]].sort());
    const hit = found.records.find((h) => h.kind === 'decision')!;
    expect(hit.snippet).toContain('phương án phân bổ');
    expect(hit.marks.length).toBeGreaterThan(0);

    expect(kinds(await search('delegate3', 'phuong an phan bo'))).toEqual([]);
  });

  it('follows a changed decision and a removed conclusion', async () => {
    expect((await room.call('chair', 'PATCH', `/api/decisions/${decision}`, { text: 'Phê duyệt kế hoạch đấu thầu.' })).status).toBe(200);
    expect((await room.call('chair', 'PUT', `/api/meetings/${m}/items/item-a/outcome`, { status: 'pending', conclusion: '' })).status).toBe(200);
    expect(kinds(await search('chair', 'phuong an phan bo'))).toEqual([]);
    expect(kinds(await search('chair', 'ke hoach dau thau'))).toEqual([['decision', decision]]);
  });

  it('still finds the record after a restart', async () => {
    await room.restart();
    expect(kinds(await search('delegate1', 'dau thau'))).toEqual([['decision', decision]]);
  });
});
