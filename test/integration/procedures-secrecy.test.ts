// The secrecy test (issue 14 item 5): nine members cast known ballots in a secret vote on the real
// hub, and the test then tries, as someone holding a copy of the data folder and every API answer,
// to tell who voted how. It fails if it can link any voter to a value: a table row naming both, a
// row order or time that follows the order ballots came in, a change per ballot anywhere but the
// two unlinked rows and the count, a key that could still open a ballot after the tally, a
// ciphertext left in the database or its WAL, or an answer or the live document naming a value.
// The stated limit (docs/votes.md): root on the hub while the vote is open can link voters
// by write order; this test plays the attacker after a copy of the files, and during the vote
// through the tables and the API only.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as live from '../../shared/live-doc.ts';
import { verifySignature } from '../../electron/hub/procedures/poll-keys.ts';
import { openHubDb } from './hub-helpers.ts';
import { searchUntil } from './search-helpers.ts';
import { addMember, checkIn, command, createPoll, getPoll, liveDoc, openRoom, vote, waitLivePoll, type Room } from './procedures-polls-helpers.ts';

const EXTRA = ['m-anh', 'm-bao', 'm-cuong', 'm-dung', 'm-giang'];
const VOTERS = ['delegate1', 'delegate2', 'delegate3', 'chair', ...EXTRA];
/** Who votes what, in the order they vote: deliberately not the order of their ids or names. */
const CAST: Array<[string, 'yes' | 'no' | 'abstain']> = [
  ['m-dung', 'no'], ['delegate2', 'yes'], ['m-anh', 'yes'], ['chair', 'abstain'], ['m-giang', 'yes'],
  ['delegate1', 'no'], ['m-cuong', 'yes'], ['delegate3', 'abstain'], ['m-bao', 'yes'],
];

let room: Room;
let db: BetterSqlite3.Database;
let pollId: string;
const trackers = new Map<string, string>();
const ciphertexts: Buffer[] = [];

type Snapshot = Map<string, Set<string>>;
const cell = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v);

/** Every row of every table, as text, through a second connection (what a copy of the file holds). */
function snapshot(): Snapshot {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  return new Map(tables.map(({ name }) => [name, new Set((db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>)
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)])))))]));
}

function diff(before: Snapshot, after: Snapshot): Map<string, { added: string[]; removed: string[] }> {
  const out = new Map<string, { added: string[]; removed: string[] }>();
  for (const [table, rows] of after) {
    const old = before.get(table) ?? new Set<string>();
    const added = [...rows].filter((r) => !old.has(r));
    const removed = [...old].filter((r) => !rows.has(r));
    if (added.length || removed.length) out.set(table, { added, removed });
  }
  return out;
}

const dataFiles = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

beforeAll(async () => {
  room = await openRoom();
  for (const login of EXTRA) await addMember(room, login, { name: login });
  await checkIn(room, VOTERS);
  db = openHubDb(room.hub.dataDir);
  pollId = await createPoll(room, { title: 'Kỷ luật đảng viên X / Discipline of member X', method: 'approval', visibility: 'secret' });
  await command(room, pollId, 'start');
  // The demo seed's papers are indexed in the background after start: wait until that is done,
  // so what each ballot changes is not mixed with the search index's own writes.
  await searchUntil(room.hub.url, room.tokens.get('admin')!, 'zzzidle', (r) => r.pendingPapers === 0);
});
afterAll(async () => {
  db?.close();
  await room?.hub.stop();
});

describe('a secret vote, attacked', () => {
  it('each ballot changes nothing but one voter row, one ciphertext row keyed by its tracker, and the count', async () => {
    const ids = new Set(VOTERS.map((l) => room.ids.get(l)!));
    let before = snapshot();
    for (const [login, value] of CAST) {
      const { tracker, receiptSig } = await vote(room, login, pollId, { value });
      trackers.set(login, tracker);
      expect(receiptSig).toBeTruthy();
      const after = snapshot();
      const changed = diff(before, after);
      expect([...changed.keys()].filter((t) => !['poll_voters', 'poll_ciphertexts', 'doc_updates', 'doc_snapshots'].includes(t)), `tables changed by ${login}'s ballot`).toEqual([]);
      expect(changed.get('poll_voters')).toEqual({ added: [JSON.stringify({ poll_id: pollId, user_id: room.ids.get(login) })], removed: [] });
      const [ctRow] = changed.get('poll_ciphertexts')!.added.map((r) => JSON.parse(r) as { poll_id: string; tracker: string; ct: string });
      expect(Object.keys(ctRow!).sort()).toEqual(['ct', 'poll_id', 'tracker']);
      expect(ctRow!.tracker).toBe(tracker);
      ciphertexts.push(Buffer.from(ctRow!.ct, 'hex'));
      // The live document's update holds the count and the hub's clock: no id of anyone.
      for (const row of changed.get('doc_updates')?.added ?? []) for (const id of ids) expect(row).not.toContain(Buffer.from(id).toString('hex'));
      before = after;
    }
    // Every ciphertext is the same size, whatever it holds.
    expect(new Set(ciphertexts.map((c) => c.length)).size).toBe(1);
  });

  it('no row order, rowid or time follows the order of the ballots', () => {
    expect(() => db.prepare('SELECT rowid FROM poll_voters').all()).toThrow(/no such column: rowid/);
    expect(() => db.prepare('SELECT rowid FROM poll_ciphertexts').all()).toThrow(/no such column: rowid/);
    // Stored in key order: the voters by id, the ciphertexts by their random trackers.
    const stored = (db.prepare('SELECT tracker FROM poll_ciphertexts WHERE poll_id = ?').all(pollId) as Array<{ tracker: string }>).map((r) => r.tracker);
    const castOrder = CAST.map(([l]) => trackers.get(l)!);
    expect(stored).toEqual([...castOrder].sort());
    expect(stored).not.toEqual(castOrder);
    const voters = (db.prepare('SELECT user_id FROM poll_voters WHERE poll_id = ?').all(pollId) as Array<{ user_id: string }>).map((r) => r.user_id);
    expect(voters).toEqual(CAST.map(([l]) => room.ids.get(l)!).sort());
    const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name).sort();
    expect(cols('poll_voters')).toEqual(['poll_id', 'user_id']);
    expect(cols('poll_ciphertexts')).toEqual(['ct', 'poll_id', 'tracker']);
    // No audit row marks a ballot of a secret vote.
    const rows = db.prepare('SELECT action FROM audit WHERE target = ?').all(pollId) as Array<{ action: string }>;
    expect(rows.map((r) => r.action).sort()).toEqual(['poll.create', 'poll.start']);
  });

  it('while open, no answer and not the live document says how anyone voted', async () => {
    for (const login of [...VOTERS, 'secretary', 'admin']) {
      const p = await getPoll(room, login, pollId);
      expect(p.ballots, login).toBeUndefined();
      expect(p.result, login).toBeNull();
      expect(Object.keys(p.me).sort(), login).toEqual(['entitled', 'present', 'voted']);
    }
    // Someone else's tracker tells only that a ballot is held.
    const other = await room.call('delegate1', 'GET', `/api/polls/${pollId}/trackers/${trackers.get('m-bao')}`);
    expect(other.body).toMatchObject({ received: true, counted: null });
    const c = await liveDoc(room, 'delegate2');
    const shown = await waitLivePoll(c, pollId, (p) => p.voted === CAST.length, 'all votes counted in the live doc');
    c.destroy();
    expect(shown.result).toBeNull();
    const text = JSON.stringify(shown);
    for (const l of VOTERS) expect(text).not.toContain(room.ids.get(l)!);
    expect(text).not.toMatch(/"(yes|no|abstain)"/);
  });

  it('after the tally: the key and the ciphertexts are gone from every file, and the result is right and signed', async () => {
    const closed = await command(room, pollId, 'stop');
    expect(closed.result).toMatchObject({ yes: 5, no: 2, abstain: 2, passed: true, voted: 9, valid: 9, invalid: 0 });
    await command(room, pollId, 'publish');
    expect((db.prepare('SELECT COUNT(*) AS n FROM poll_ciphertexts').get() as { n: number }).n).toBe(0);
    expect(fs.readdirSync(path.join(room.hub.dataDir, 'poll-keys')).sort()).toEqual(['master.key', 'signing.key']);
    // The database file, its WAL (which held every page as each ballot wrote it) and the keys.
    for (const file of dataFiles(room.hub.dataDir)) {
      const bytes = fs.readFileSync(file);
      for (const ct of ciphertexts) expect(bytes.includes(ct.subarray(65, 65 + 32)), `a ciphertext in ${path.basename(file)}`).toBe(false);
    }
    const board = await room.call<{ trackers: string[]; voted: number; trackersSha256: string }>('delegate3', 'GET', `/api/polls/${pollId}/trackers`);
    expect(board.body.voted).toBe(9);
    expect(board.body.trackers).toEqual([...trackers.values()].sort());
    for (const [login, tracker] of trackers) {
      const r = await room.call(login, 'GET', `/api/polls/${pollId}/trackers/${tracker}`);
      expect(r.body).toMatchObject({ tracker, received: true, counted: true });
    }
    const published = await getPoll(room, 'delegate1', pollId);
    const v = published.verification!;
    expect(verifySignature(v.hubKey, v.signed, v.signature)).toBe(true);
    expect(JSON.parse(v.signed)).toMatchObject({ poll: pollId, trackersSha256: board.body.trackersSha256, result: { yes: 5, no: 2, abstain: 2 } });
  });

  it('after publication, no table row and no answer links a voter to a value', async () => {
    const ids = VOTERS.map((l) => room.ids.get(l)!);
    for (const [table, rows] of snapshot()) {
      for (const row of rows) {
        if (!ids.some((id) => row.includes(id))) continue;
        // Beside someone's id, no tracker, or all of them (the public board in the poll's row, whose
        // creator is named): never a few, which would narrow down whose ballot is whose.
        const held = [...trackers.values()].filter((t) => row.includes(t)).length;
        expect([0, trackers.size], `${table} names a voter beside ${held} trackers`).toContain(held);
        if (row.includes(pollId)) expect(table, `${table}: ${row.slice(0, 200)}`).toMatch(/^(polls|poll_voters|audit)$/);
      }
    }
    const auditRows = db.prepare('SELECT user_id, action FROM audit WHERE target = ?').all(pollId) as Array<{ user_id: string; action: string }>;
    expect(auditRows.every((r) => r.user_id === room.ids.get('chair'))).toBe(true);
    for (const login of [...VOTERS, 'secretary', 'admin']) {
      const p = await getPoll(room, login, pollId);
      expect(p.ballots).toBeUndefined();
      expect(Object.keys(p.me).sort()).toEqual(['entitled', 'present', 'voted']);
    }
    const c = await liveDoc(room, 'delegate1');
    const shown = live.poll(c.doc, pollId)!;
    c.destroy();
    expect(shown.result).toMatchObject({ yes: 5, no: 2, abstain: 2, passed: true });
    for (const l of VOTERS) expect(JSON.stringify(shown)).not.toContain(room.ids.get(l)!);
  });
});
