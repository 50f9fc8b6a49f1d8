// A closed meeting is archived (docs/archive.md): on a real hub process, closing it makes every
// write path refuse — each locked HTTP route answers 409 meeting_closed and changes nothing, an
// open sync socket to the meeting document becomes read-only at once and its writes are not
// stored, the live document stays as it was — while participants still read everything and a
// user's own notes stay theirs. Only an admin reopens it, with a reason the audit keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced } from '../helpers/yclient.ts';
import { rawSync, startDemoHub, storedDoc, storedRows, type HubUnderTest, type RawSocket } from './hub-helpers.ts';
import { syncFrame } from './sync-frames.ts';
import { smallPdf } from './archive-helpers.ts';
import { LOCKED_ROUTES, OPEN_WHEN_CLOSED } from '../../electron/hub/archive/lock.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { pathFor, ROUTE_LIST, ROUTES, type RouteName } from '../../shared/routes.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let meetingId: string;

beforeAll(async () => {
  ({ hub, db, meetingId } = await startDemoHub(tokens, users));
});

afterAll(async () => {
  db?.close();
  await hub?.stop();
});

const call = <T = Record<string, unknown>>(login: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>(hub.url, tokens[login]!, path, { method, ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) }), ...(headers ? { headers } : {}) });

/** What a message from the hub is: `sync0`/`sync1`/`sync2`, `auth: <reason>`, `awareness`. */
function kindOf(b: Buffer): string {
  const d = decoding.createDecoder(b);
  const type = decoding.readVarUint(d);
  if (type === 0) return `sync${decoding.readVarUint(d)}`;
  if (type === 2) {
    decoding.readVarUint(d);
    return `auth: ${decoding.readVarString(d)}`;
  }
  return type === 1 ? 'awareness' : `type ${type}`;
}

async function nextMessage(s: RawSocket, from: number, pred: (kind: string) => boolean, what: string): Promise<string> {
  let found: string | undefined;
  await waitFor(() => (found = s.received.slice(from).map(kindOf).find(pred)) !== undefined, 10_000, what);
  return found!;
}

/** A self-contained update adding one agenda item (a fresh client's change). */
function itemUpdate(id: string): Uint8Array {
  const d = new Y.Doc();
  meetingDoc.addAgendaItem(d, id, { title: id });
  return Y.encodeStateAsUpdate(d);
}

const agendaIds = (): string[] => meetingDoc.readAgenda(storedDoc(db, `meeting/${meetingId}`)).map((i) => i.id);
const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('closing a meeting archives it', () => {
  let pollId: string;
  let paperId: string;
  let sec: RawSocket;

  it('every write path refuses once it is closed, for managers and admins too; reading goes on', async () => {
    const doc = `meeting/${meetingId}`;
    const created = await call<{ id: string }>('chair', 'POST', `/api/meetings/${meetingId}/polls`, { title: 'Kept for the lock', method: 'approval', visibility: 'named' });
    expect(created.status).toBe(201);
    pollId = created.body.id;
    paperId = (await call<Array<{ id: string }>>('delegate1', 'GET', `/api/meetings/${meetingId}/papers`)).body[0]!.id;

    // The secretary's socket writes while the meeting is open.
    sec = rawSync(hub.url, doc, tokens.secretary!);
    await sec.opened;
    sec.ws.send(syncFrame(2, itemUpdate('before-close')));
    await waitFor(() => agendaIds().includes('before-close'), 10_000, 'the secretary\'s edit stored');
    const notes = connectDoc(hub.url, `notes/${meetingId}/${users.delegate1}`, tokens.delegate1!);
    await waitSynced(notes);

    const closing = await call<{ status: string }>('secretary', 'PATCH', `/api/meetings/${meetingId}`, { status: 'closed' });
    expect(closing.status).toBe(200);
    expect(closing.body.status).toBe('closed');

    // The open socket is told at once that it is read-only now...
    const told = sec.received.length;
    expect(await nextMessage(sec, 0, (k) => k.startsWith('auth: read-only: access'), 'the read-only notice')).toMatch(/changes are no longer accepted/);
    // ...and a write on it is dropped: the hub answers the sync step 1 sent after it, so the
    // write was handled first, and it is not in the stored document.
    sec.ws.send(syncFrame(2, itemUpdate('after-close-secretary')));
    sec.ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
    await nextMessage(sec, told, (k) => k === 'sync1', 'the answer to the sync step 1');
    expect(agendaIds()).not.toContain('after-close-secretary');

    // An admin connecting after the close only reads too (and is told when it tries to write).
    const admin = rawSync(hub.url, doc, tokens.admin!);
    await admin.opened;
    admin.ws.send(syncFrame(2, itemUpdate('after-close-admin')));
    expect(await nextMessage(admin, 0, (k) => k.startsWith('auth:'), 'the admin\'s refusal')).toMatch(/read-only/);
    expect(agendaIds()).not.toContain('after-close-admin');
    admin.ws.close();

    // Every locked route: 409 meeting_closed for those who may otherwise do it, and nothing
    // changes — the live document, the audit, the procedures' tables.
    const liveRows = storedRows(db, `live/${meetingId}`);
    const liveState = Buffer.from(Y.encodeStateAsUpdate(storedDoc(db, `live/${meetingId}`)));
    const tables = ['audit', 'papers', 'paper_versions', 'participants', 'polls', 'poll_ballots', 'poll_voters', 'attendance', 'attendance_log'];
    const before = Object.fromEntries(tables.map((t) => [t, count(t)]));
    const m = { id: meetingId };
    const pdf = await smallPdf('Too late');
    const attempts: Record<(typeof LOCKED_ROUTES)[number], [string, string, unknown?, Record<string, string>?]> = {
      updateMeeting: ['admin', pathFor(ROUTES.updateMeeting, m), { title: 'Renamed after the close' }],
      setParticipant: ['admin', pathFor(ROUTES.setParticipant, { id: meetingId, userId: users.delegate2! }), { role: 'observer' }],
      removeParticipant: ['secretary', pathFor(ROUTES.removeParticipant, { id: meetingId, userId: users.delegate2! })],
      upload: ['secretary', `${pathFor(ROUTES.upload, m)}?title=Late`, pdf, { 'content-type': 'application/pdf' }],
      updatePaper: ['admin', pathFor(ROUTES.updatePaper, { id: paperId }), { title: 'Renamed paper' }],
      removePaper: ['secretary', pathFor(ROUTES.removePaper, { id: paperId })],
      releasePaper: ['secretary', pathFor(ROUTES.releasePaper, { id: paperId }), {}],
      present: ['chair', pathFor(ROUTES.present, m), { paperId, page: 1 }],
      stopPresenting: ['chair', pathFor(ROUTES.stopPresenting, m)],
      handPresenter: ['secretary', pathFor(ROUTES.handPresenter, m), { userId: users.delegate1 }],
      checkIn: ['delegate1', pathFor(ROUTES.checkIn, m), { status: 'present' }],
      bulkAttendance: ['secretary', pathFor(ROUTES.bulkAttendance, m), { userIds: [users.delegate2], status: 'present' }],
      attendanceSettings: ['secretary', pathFor(ROUTES.attendanceSettings, m), { checkInOpen: false }],
      seating: ['secretary', pathFor(ROUTES.seating, m), { seats: [] }],
      requestFloor: ['delegate1', pathFor(ROUTES.requestFloor, m), { agendaItemId: 'item-budget' }],
      withdrawFloor: ['delegate1', pathFor(ROUTES.withdrawFloor, { id: meetingId, speakerId: 'some-speaker' })],
      speakerControl: ['chair', pathFor(ROUTES.speakerControl, m), { action: 'next', agendaItemId: 'item-budget' }],
      speakerSettings: ['chair', pathFor(ROUTES.speakerSettings, m), { agendaItemId: 'item-budget', open: false }],
      createPoll: ['chair', pathFor(ROUTES.createPoll, m), { title: 'After the close', method: 'approval', visibility: 'named' }],
      startPoll: ['chair', pathFor(ROUTES.startPoll, { id: pollId })],
      stopPoll: ['admin', pathFor(ROUTES.stopPoll, { id: pollId })],
      publishPoll: ['chair', pathFor(ROUTES.publishPoll, { id: pollId })],
      resetPoll: ['chair', pathFor(ROUTES.resetPoll, { id: pollId })],
      annulPoll: ['chair', pathFor(ROUTES.annulPoll, { id: pollId }), { reason: 'closed' }],
      ballot: ['delegate1', pathFor(ROUTES.ballot, { id: pollId }), { value: 'yes' }],
    };
    for (const [name, [login, path, body, headers]] of Object.entries(attempts) as Array<[RouteName, [string, string, unknown?, Record<string, string>?]]>) {
      const r = await call<{ error: string }>(login, ROUTES[name].method, path, body, headers);
      expect(r.status, `${name} as ${login}: ${JSON.stringify(r.body)}`).toBe(409);
      expect(r.body.error, name).toBe('meeting_closed');
    }
    expect(Object.fromEntries(tables.map((t) => [t, count(t)]))).toEqual(before);
    expect(storedRows(db, `live/${meetingId}`)).toBe(liveRows);
    expect(Buffer.from(Y.encodeStateAsUpdate(storedDoc(db, `live/${meetingId}`))).equals(liveState)).toBe(true);

    // Before the lock, the route's own rule: an outsider learns nothing (404), a delegate is no manager (403).
    const outsider = await call<{ id: string }>('admin', 'POST', '/api/accounts', { login: 'outsider', name: 'Outsider', role: 'chair', password: 'outsider-password' });
    tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-password')).token;
    expect(outsider.status).toBe(201);
    expect((await call('outsider', 'PATCH', `/api/meetings/${meetingId}`, { title: 'x' })).status).toBe(404);
    expect((await call('outsider', 'POST', `/api/polls/${pollId}/start`)).status).toBe(404);
    expect((await call('delegate1', 'PATCH', `/api/meetings/${meetingId}`, { title: 'x' })).status).toBe(403);

    // Reading goes on: listed as closed, its details, papers and their files, procedures, the live document.
    const listed = await call<Array<{ id: string; status: string }>>('delegate1', 'GET', '/api/meetings');
    expect(listed.body.find((x) => x.id === meetingId)?.status).toBe('closed');
    expect((await call('delegate1', 'GET', `/api/meetings/${meetingId}`)).status).toBe(200);
    const papers = await call<Array<{ versions: Array<{ sha256: string }> }>>('delegate1', 'GET', `/api/meetings/${meetingId}/papers`);
    expect(papers.status).toBe(200);
    expect((await fetch(`${hub.url}/api/blobs/${papers.body[0]!.versions[0]!.sha256}`, { headers: { authorization: `Bearer ${tokens.delegate1}` } })).status).toBe(200);
    for (const p of ['attendance', 'speakers', 'polls']) expect((await call('delegate1', 'GET', `/api/meetings/${meetingId}/${p}`)).status, p).toBe(200);
    expect((await call('delegate1', 'GET', `/api/polls/${pollId}`)).status).toBe(200);
    const reader = connectDoc(hub.url, doc, tokens.delegate1!);
    await waitSynced(reader);
    expect(meetingDoc.readDetails(reader.doc).status).toBe('closed');
    expect(meetingDoc.readAgenda(reader.doc).map((i) => i.id)).toContain('before-close');
    reader.destroy();

    // A delegate's private notes stay theirs: not part of the record.
    notes.doc.getMap('marks').set('after-close', 'still mine');
    await waitFor(() => storedDoc(db, `notes/${meetingId}/${users.delegate1}`).getMap('marks').get('after-close') === 'still mine', 10_000, 'a note after the close');
    notes.destroy();
  });

  it('names, for every write route of a meeting, whether the lock covers it or why not', () => {
    const scoped = ROUTE_LIST.filter((r) => r.method !== 'GET' && r.servedBy !== 'planned' && /^\/api\/(meetings|papers|polls)\/:id/.test(r.path));
    const names = Object.entries(ROUTES).filter(([, r]) => scoped.includes(r)).map(([n]) => n);
    const undecided = names.filter((n) => !(LOCKED_ROUTES as readonly string[]).includes(n) && !(n in OPEN_WHEN_CLOSED));
    expect(undecided).toEqual([]);
  });

  it('only an admin reopens it, with a reason the audit keeps; writes work again; a running vote holds a close back', async () => {
    expect((await call('secretary', 'POST', `/api/meetings/${meetingId}/reopen`, { reason: 'a typo in the agenda' })).status).toBe(403);
    expect((await call('admin', 'POST', `/api/meetings/${meetingId}/reopen`, {})).status).toBe(400);
    expect((await call('admin', 'POST', `/api/meetings/${meetingId}/reopen`, { reason: '  ' })).status).toBe(400);
    expect((await call('admin', 'POST', '/api/meetings/no-such-meeting/reopen', { reason: 'because' })).status).toBe(404);

    const reopened = await call<{ status: string }>('admin', 'POST', `/api/meetings/${meetingId}/reopen`, { reason: 'Sửa lỗi chính tả trong chương trình' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('published');
    const row = db.prepare("SELECT user_id, detail FROM audit WHERE action = 'meeting-reopened' AND target = ?").get(meetingId) as { user_id: string; detail: string };
    expect(row.user_id).toBe(users.admin);
    expect(JSON.parse(row.detail)).toEqual({ reason: 'Sửa lỗi chính tả trong chương trình' });
    expect((await call('admin', 'POST', `/api/meetings/${meetingId}/reopen`, { reason: 'again' })).status).toBe(409);

    // The secretary's read-only socket is asked to reconnect as a writer.
    expect((await sec.closed).code).toBe(1012);
    expect((await call('secretary', 'PATCH', `/api/meetings/${meetingId}`, { room: 'Room B' })).status).toBe(200);

    // A vote still open holds the close back; once stopped, the meeting closes.
    expect((await call('chair', 'POST', `/api/meetings/${meetingId}/attendance`, { status: 'present' })).status).toBe(200);
    expect((await call('chair', 'POST', `/api/polls/${pollId}/start`)).status).toBe(200);
    const held = await call<{ error: string; message: string }>('secretary', 'PATCH', `/api/meetings/${meetingId}`, { status: 'closed' });
    expect(held.status).toBe(409);
    expect(held.body.error).toBe('vote_open');
    expect(held.body.message).toContain('Kept for the lock');
    expect((await call<{ status: string }>('secretary', 'GET', `/api/meetings/${meetingId}`)).body.status).toBe('published');
    expect((await call('chair', 'POST', `/api/polls/${pollId}/stop`)).status).toBe(200);
    expect((await call('secretary', 'PATCH', `/api/meetings/${meetingId}`, { status: 'closed' })).status).toBe(200);
    expect((db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'meeting-closed' AND target = ?").get(meetingId) as { n: number }).n).toBe(2);
  });
});
