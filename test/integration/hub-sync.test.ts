// The sync endpoint of the real hub process, driven by real y-websocket providers (and raw
// sockets for what a provider never sends): convergence, the brief's permission table, and
// bad input on the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { openHubDb, rawFrameClose, rawSync, sleep, startHubIn, storedDoc, storedRows, type HubUnderTest } from './hub-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import * as notesDoc from '../../shared/notes-doc.ts';
import { LIMITS } from '../../shared/api.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
let docName: string;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
const clients: YClient[] = [];

function client(login: string, name = docName): YClient {
  const c = connectDoc(hub.url, name, tokens[login]!);
  clients.push(c);
  return c;
}

/** Y.Map key order follows local insertion, so replicas are compared with sorted keys. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x);
const agendaJson = (c: YClient | Y.Doc) => canonical(meetingDoc.agendaMap(c instanceof Y.Doc ? c : c.doc).toJSON());

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'chair', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    userIds[login] = s.user.id;
  }
  const created = await api<{ id: string }>(hub.url, tokens.admin!, '/api/accounts', {
    method: 'POST', body: JSON.stringify({ login: 'outsider', name: 'Not in any meeting', role: 'delegate', password: 'outsider-pw' }),
  });
  expect(created.status).toBe(201);
  tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-pw')).token;
  userIds.outsider = created.body.id;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.delegate1!, '/api/meetings')).body[0]!.id;
  docName = `meeting/${meetingId}`;
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.close();
  await hub?.stop();
});

describe('convergence', () => {
  it('three writers editing at once, one of them offline for a while, and a reader all end identical', async () => {
    const writers = [client('secretary'), client('chair'), client('admin')];
    const reader = client('delegate1');
    await Promise.all([...writers, reader].map((c) => waitSynced(c)));
    meetingDoc.addAgendaItem(writers[0]!.doc, 'item-shared', { title: 'Shared item' });
    await waitFor(() => writers.every((w) => meetingDoc.readAgenda(w.doc).some((i) => i.id === 'item-shared')), 5000, 'shared item everywhere');

    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const burst = async (round: number) => {
      await Promise.all(writers.map(async (w, wi) => {
        for (let k = 0; k < 15; k++) {
          const op = rnd();
          if (op < 0.4) meetingDoc.addAgendaItem(w.doc, `item-w${wi}-r${round}-${k}`, { title: `from writer ${wi}, round ${round}, #${k}` });
          else if (op < 0.8) meetingDoc.updateAgendaItem(w.doc, 'item-shared', { title: `renamed by ${wi} at ${round}/${k}`, durationMin: k });
          else meetingDoc.moveAgendaItem(w.doc, 'item-shared', Math.floor(rnd() * 5));
          if (rnd() < 0.3) await sleep(1);
        }
      }));
    };
    await burst(1);
    // The admin goes offline, everyone keeps editing, and the admin comes back with its own changes.
    writers[2]!.provider.disconnect();
    await burst(2);
    writers[2]!.provider.connect();
    await burst(3);

    const all = [...writers, reader];
    await waitFor(() => all.every((c) => agendaJson(c) === agendaJson(writers[0]!)
      && Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(Y.encodeStateVector(writers[0]!.doc)))), 15_000, 'all replicas identical');
    const ids = meetingDoc.readAgenda(reader.doc).map((i) => i.id);
    for (let wi = 0; wi < 3; wi++) expect(ids.some((id) => id.startsWith(`item-w${wi}-r2`))).toBe(true);
    // And what the hub committed is that same state: a fresh replica built from its file matches.
    await waitFor(() => agendaJson(storedDoc(db, docName)) === agendaJson(reader), 5000, 'store matches replicas');
    const late = client('delegate2');
    await waitSynced(late);
    expect(agendaJson(late)).toBe(agendaJson(reader));
    for (const c of [...all, late]) c.provider.disconnect();
  });
});

describe('permission table', () => {
  it('meeting doc: a delegate reads, its edit is dropped, it is told, and nothing of it is stored', async () => {
    const sec = client('secretary');
    const del = client('delegate1');
    await Promise.all([waitSynced(sec), waitSynced(del)]);
    expect(meetingDoc.readAgenda(del.doc).length).toBeGreaterThan(0);
    const rowsBefore = storedRows(db, docName);
    meetingDoc.addAgendaItem(del.doc, 'item-rogue', { title: 'Rogue item' });
    meetingDoc.updateAgendaItem(del.doc, 'item-opening', { title: 'Hijacked' });
    await waitFor(() => del.denied.length > 0, 5000, 'permission-denied message');
    expect(del.denied[0]).toMatch(/read-only/);
    // A marker edit from the secretary after the rogue one proves the hub has processed both.
    meetingDoc.updateAgendaItem(sec.doc, 'item-other', { presenter: 'marker-after-rogue' });
    await waitFor(() => meetingDoc.readAgenda(del.doc).some((i) => i.presenter === 'marker-after-rogue'), 5000, 'marker');
    expect(meetingDoc.readAgenda(sec.doc).some((i) => i.id === 'item-rogue' || i.title === 'Hijacked')).toBe(false);
    expect(storedRows(db, docName)).toBe(rowsBefore + 1);
    const stored = meetingDoc.readAgenda(storedDoc(db, docName));
    expect(stored.some((i) => i.id === 'item-rogue' || i.title === 'Hijacked')).toBe(false);
    sec.provider.disconnect();
    del.provider.disconnect();
  });

  it('meeting doc: secretary, chair and admin may write', async () => {
    const reader = client('delegate2');
    await waitSynced(reader);
    for (const login of ['secretary', 'chair', 'admin']) {
      const w = client(login);
      await waitSynced(w);
      meetingDoc.addAgendaItem(w.doc, `item-by-${login}`, { title: `written by ${login}` });
      await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.id === `item-by-${login}`), 5000, `${login}'s item`);
      expect(w.denied).toEqual([]);
      w.provider.disconnect();
    }
    reader.provider.disconnect();
  });

  it('refuses a non-participant (4403), a bad or missing token (4401) and malformed or unknown names (4404)', async () => {
    const cases: Array<[string, string | null, number]> = [
      [docName, tokens.outsider!, 4403],
      [docName, 'not-a-real-token', 4401],
      [docName, null, 4401],
      ['meeting', tokens.admin!, 4404],
      ['meeting/UPPER!case', tokens.admin!, 4404],
      ['meeting/a/b', tokens.admin!, 4404],
      ['meeting/..%2F..%2Fetc', tokens.admin!, 4404],
      ['agenda/whatever', tokens.admin!, 4404],
      ['meeting/no-such-meeting', tokens.admin!, 4404],
    ];
    for (const [name, token, code] of cases) {
      const s = rawSync(hub.url, name, token);
      const closed = await s.closed;
      expect({ name, code: closed.code }).toEqual({ name, code });
      expect(closed.reason.length).toBeGreaterThan(0);
      // Refused before any document state was sent.
      expect(s.received).toEqual([]);
    }
  });

  it('notes doc: only its own user, on every device; everyone else is refused', async () => {
    const notes = `notes/${meetingId}/${userIds.delegate1}`;
    const tablet = client('delegate1', notes);
    const laptop = connectDoc(hub.url, notes, (await signIn(hub.url, 'delegate1')).token);
    clients.push(laptop);
    await Promise.all([waitSynced(tablet), waitSynced(laptop)]);
    notesDoc.putAnnotation(tablet.doc, { id: 'n1', kind: 'bookmark', paperId: 'p', sha256: 'a'.repeat(64), page: 3, createdAt: 1 } as notesDoc.Annotation);
    await waitFor(() => notesDoc.readAnnotations(laptop.doc).length === 1, 5000, 'note on second device');
    expect(tablet.denied).toEqual([]);
    for (const login of ['delegate2', 'secretary', 'chair', 'admin', 'outsider']) {
      const s = rawSync(hub.url, notes, tokens[login]!);
      expect({ login, code: (await s.closed).code }).toEqual({ login, code: 4403 });
    }
    tablet.provider.disconnect();
    laptop.provider.disconnect();
  });

  it('removing a participant ends only their connections to that meeting; everyone else carries on', async () => {
    const created = await api<{ id: string }>(hub.url, tokens.secretary!, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: 'Removal meeting' }) });
    const id = created.body.id;
    for (const login of ['delegate1', 'delegate2']) {
      expect((await api(hub.url, tokens.secretary!, `/api/meetings/${id}/participants/${userIds[login]}`, { method: 'PUT', body: JSON.stringify({ role: 'delegate' }) })).status).toBe(200);
    }
    expect((await api(hub.url, tokens.secretary!, `/api/meetings/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'published' }) })).status).toBe(200);
    const sec = client('secretary', `meeting/${id}`);
    const stays = client('delegate1', `meeting/${id}`);
    const leaves = client('delegate2', `meeting/${id}`);
    const leavesNotes = client('delegate2', `notes/${id}/${userIds.delegate2}`);
    const leavesElsewhere = client('delegate2', docName);
    await Promise.all([sec, stays, leaves, leavesNotes, leavesElsewhere].map((c) => waitSynced(c)));

    expect((await api(hub.url, tokens.secretary!, `/api/meetings/${id}/participants/${userIds.delegate2}`, { method: 'DELETE' })).status).toBe(204);
    expect((await leaves.closed).code).toBe(4410);
    expect((await leavesNotes.closed).code).toBe(4410);

    // The remaining delegate still receives the secretary's edits, and delegate2 their other meeting's.
    meetingDoc.addAgendaItem(sec.doc, 'after-removal', { title: 'After the removal' });
    await waitFor(() => meetingDoc.readAgenda(stays.doc).some((i) => i.id === 'after-removal'), 5000, 'edit reaching the remaining delegate');
    expect(stays.provider.wsconnected).toBe(true);
    const other = client('secretary');
    await waitSynced(other);
    meetingDoc.updateAgendaItem(other.doc, 'item-budget', { presenter: 'still here' });
    await waitFor(() => meetingDoc.readAgenda(leavesElsewhere.doc).some((i) => i.presenter === 'still here'), 5000, 'edit reaching delegate2 in the other meeting');
    for (const c of [sec, stays, leavesElsewhere, other]) c.provider.disconnect();
  });

  it('a draft meeting is invisible to its delegates until it is published', async () => {
    const created = await api<{ id: string }>(hub.url, tokens.secretary!, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: 'Draft meeting' }) });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const put = await api(hub.url, tokens.secretary!, `/api/meetings/${id}/participants/${userIds.delegate1}`, { method: 'PUT', body: JSON.stringify({ role: 'delegate' }) });
    expect(put.status).toBe(200);
    const list = async () => (await api<Array<{ id: string }>>(hub.url, tokens.delegate1!, '/api/meetings')).body.map((m) => m.id);
    expect(await list()).not.toContain(id);
    expect((await api(hub.url, tokens.delegate1!, `/api/meetings/${id}`)).status).toBe(404);
    expect((await rawSync(hub.url, `meeting/${id}`, tokens.delegate1!).closed).code).toBe(4403);
    expect((await rawSync(hub.url, `notes/${id}/${userIds.delegate1}`, tokens.delegate1!).closed).code).toBe(4403);
    // The secretary sees and edits it meanwhile.
    const sec = client('secretary', `meeting/${id}`);
    await waitSynced(sec);
    expect(meetingDoc.readDetails(sec.doc).title).toBe('Draft meeting');
    sec.provider.disconnect();
    expect((await api(hub.url, tokens.secretary!, `/api/meetings/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'published' }) })).status).toBe(200);
    expect(await list()).toContain(id);
    const del = client('delegate1', `meeting/${id}`);
    await waitSynced(del);
    expect(meetingDoc.readDetails(del.doc).title).toBe('Draft meeting');
    del.provider.disconnect();
  });
});

// ---- bad input -----------------------------------------------------------------------------

function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  encoding.writeVarUint(enc, sub);
  encoding.writeVarUint8Array(enc, payload);
  return encoding.toUint8Array(enc);
}

describe('bad input on the WebSocket', () => {
  let sec: YClient;
  let del: YClient;
  let round = 0;
  /** Everyone else carries on: a secretary edit still reaches the delegate. */
  const stillSyncing = async () => {
    round++;
    meetingDoc.updateAgendaItem(sec.doc, 'item-budget', { presenter: `alive ${round}` });
    await waitFor(() => meetingDoc.readAgenda(del.doc).some((i) => i.presenter === `alive ${round}`), 5000, `sync after bad input ${round}`);
  };
  /**
   * Sends frames from a secretary connection (which may write). With `codes`, the hub must close
   * it with one of them; without, the frames may be harmless (e.g. a query for awareness followed
   * by junk) and the socket is closed by the test. Either way nothing reaches the store.
   */
  const sendBad = async (frames: Array<Uint8Array | Buffer>, codes?: number[]) => {
    const rows = storedRows(db, docName);
    const before = canonical(storedDoc(db, docName).toJSON());
    const s = rawSync(hub.url, docName, tokens.secretary!);
    await s.opened;
    for (const f of frames) s.ws.send(f);
    const closed = await Promise.race([s.closed, sleep(codes ? 10_000 : 400).then(() => null)]);
    if (codes) {
      expect(closed).not.toBeNull();
      expect(codes).toContain(closed!.code);
      // ws closes an oversized frame with 1009 (Message Too Big) before we see it, without a reason.
      if (closed!.code === 1007) expect(closed!.reason).toMatch(/^bad message: /);
    } else if (closed) {
      expect(closed.code).toBe(1007);
    } else {
      s.ws.close();
    }
    expect(storedRows(db, docName)).toBe(rows);
    expect(canonical(storedDoc(db, docName).toJSON())).toBe(before);
    await stillSyncing();
    expect(storedRows(db, docName)).toBe(rows + 1);
    return closed;
  };
  const expectClosed = (frames: Array<Uint8Array | Buffer>, codes: number[]) => sendBad(frames, codes);

  beforeAll(async () => {
    sec = client('secretary');
    del = client('delegate2');
    await Promise.all([waitSynced(sec), waitSynced(del)]);
  });

  it('unknown message types and unknown sync sub-types close with 1007', async () => {
    await expectClosed([Uint8Array.of(99)], [1007]);
    await expectClosed([Uint8Array.of(0, 7, 0)], [1007]);
  });

  it('truncated frames: an empty frame, a cut sync message, a frame cut mid-transfer', async () => {
    await expectClosed([new Uint8Array(0)], [1007]);
    const good = new Y.Doc();
    good.getMap('agenda').set('x', 'y');
    const whole = syncFrame(2, Y.encodeStateAsUpdate(good));
    await expectClosed([whole.subarray(0, Math.floor(whole.length / 2))], [1007]);
    await expectClosed([Uint8Array.of(0, 0, 10, 1)], [1007]);
    // A WebSocket frame whose header promises more bytes than ever arrive: the link drops.
    const rows = storedRows(db, docName);
    const s = rawSync(hub.url, docName, tokens.secretary!);
    await s.opened;
    const sock = (s.ws as unknown as { _socket: import('node:net').Socket })._socket;
    sock.write(Buffer.from([0x82, 0x80 | 100, 1, 2, 3, 4, 9, 9, 9]));
    sock.end();
    expect((await s.closed).code).toBe(1006);
    await stillSyncing();
    expect(storedRows(db, docName)).toBe(rows + 1);
  });

  it('malformed Yjs updates and state vectors close with 1007 and store nothing', async () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = new Y.Doc();
    meetingDoc.addAgendaItem(base, 'item-fuzz', { title: 'fuzz base' });
    const valid = Y.encodeStateAsUpdate(base);
    const malformed: Uint8Array[] = [];
    while (malformed.length < 12) {
      const u = malformed.length % 2 ? new Uint8Array(valid) : new Uint8Array(4 + Math.floor(rnd() * 60)).map(() => Math.floor(rnd() * 256));
      if (malformed.length % 2) for (let k = 0; k < 3; k++) u[Math.floor(rnd() * u.length)] = Math.floor(rnd() * 256);
      // Only what Yjs itself cannot decode counts as malformed; a mutation that decodes is a valid edit.
      try {
        Y.decodeUpdate(u);
      } catch {
        malformed.push(u);
      }
    }
    for (const u of malformed) await expectClosed([syncFrame(2, u)], [1007]);
    await expectClosed([syncFrame(1, u8(0xff, 0xff, 0xff))], [1007]);
    // Awareness with garbage JSON.
    await expectClosed([Uint8Array.of(1, 5, 1, 1, 1, 1, 0x7b)], [1007]);
  });

  it('random bytes close the connection (or are harmless) and store nothing', async () => {
    let seed = 1234;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let closedCount = 0;
    for (let i = 0; i < 16; i++) {
      const bytes = new Uint8Array(1 + Math.floor(rnd() * 200)).map(() => Math.floor(rnd() * 256));
      if (await sendBad([bytes])) closedCount++;
    }
    // Most random frames are not valid messages at all; the hub must have noticed that.
    expect(closedCount).toBeGreaterThan(8);
  });

  it('an oversized frame closes with 1009 and stores nothing', async () => {
    const rows = storedRows(db, docName);
    // A masked binary frame whose header announces one byte over the limit: the hub must refuse
    // it on the header alone. (Sending the whole payload raced the hub's close against our still
    // unsent megabytes: the connection reset could hide the 1009 from the client.)
    const header = Buffer.alloc(14 + 16, 1);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(LIMITS.maxWsFrameBytes + 1), 2);
    expect(await rawFrameClose(hub.url, docName, tokens.secretary!, header)).toBe(1009);
    expect(storedRows(db, docName)).toBe(rows);
    await stillSyncing();
  });
});

function u8(...b: number[]): Uint8Array {
  return Uint8Array.from(b);
}
