// Pieces the vote tests share: a demo room on a real hub process with everyone signed in, calls
// by login, and the live document as a delegate's real y-websocket client sees it.
import { expect } from 'vitest';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startHubIn, type HubUnderTest } from './hub-helpers.ts';
import * as live from '../../shared/live-doc.ts';
import { ballotReceiptSchema, pollDetailSchema, type PollDetail, type PollPublic } from '../../shared/procedures/polls.ts';

export const LOGINS = ['admin', 'secretary', 'chair', 'delegate1', 'delegate2', 'delegate3'] as const;
export type Login = (typeof LOGINS)[number] | string;

export interface Room {
  hub: HubUnderTest;
  meetingId: string;
  tokens: Map<Login, string>;
  ids: Map<Login, string>;
  /** A call as `login` (signed in once; extra accounts are added with addMember). */
  call: <T = Record<string, unknown>>(login: Login, method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
}

export async function signInAll(room: Pick<Room, 'hub' | 'tokens' | 'ids'>, logins: readonly Login[]): Promise<void> {
  for (const login of logins) {
    const s = await signIn(room.hub.url, login);
    room.tokens.set(login, s.token);
    room.ids.set(login, s.user.id);
  }
}

export async function openRoom(hub?: HubUnderTest): Promise<Room> {
  const h = hub ?? await startHubIn(undefined, { demo: true });
  // One object: a test that restarts the hub sets `room.hub` and every later call goes there.
  const room: Room = {
    hub: h, meetingId: '', tokens: new Map<Login, string>(), ids: new Map<Login, string>(),
    call: (login, method, path, body) => {
      const token = room.tokens.get(login);
      if (!token) throw new Error(`${login} is not signed in`);
      return api(room.hub.url, token, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }) as never;
    },
  };
  await signInAll(room, LOGINS);
  const meetings = await room.call<Array<{ id: string }>>('chair', 'GET', '/api/meetings');
  room.meetingId = meetings.body[0]!.id;
  return room;
}

/** A new delegate account, signed in; taking part in the meeting unless `participant` is false. */
export async function addMember(room: Room, login: string, opts: { name?: string; participant?: boolean } = {}): Promise<string> {
  const created = await room.call<{ id: string }>('admin', 'POST', '/api/accounts', { login, name: opts.name ?? login, role: 'delegate', password: 'demo-password-1' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  if (opts.participant !== false) {
    const put = await room.call('admin', 'PUT', `/api/meetings/${room.meetingId}/participants/${created.body.id}`, { role: 'delegate' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
  const s = await signIn(room.hub.url, login, 'demo-password-1');
  room.tokens.set(login, s.token);
  room.ids.set(login, s.user.id);
  return created.body.id;
}

export async function setStatus(room: Room, login: Login, status: string): Promise<void> {
  const r = await room.call('secretary', 'POST', `/api/meetings/${room.meetingId}/attendance`, { status, userId: room.ids.get(login) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

export async function checkIn(room: Room, logins: readonly Login[]): Promise<void> {
  for (const l of logins) await setStatus(room, l, 'present');
}

/** Creates a poll as the chair and returns its id. */
export async function createPoll(room: Room, body: Record<string, unknown>): Promise<string> {
  const r = await room.call<{ id: string }>('chair', 'POST', `/api/meetings/${room.meetingId}/polls`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

export async function command(room: Room, pollId: string, action: 'start' | 'stop' | 'publish' | 'reset', by: Login = 'chair'): Promise<PollDetail> {
  const r = await room.call<PollDetail>(by, 'POST', `/api/polls/${pollId}/${action}`);
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  // Clients parse answers with the route table's schemas: the hub's must fit them.
  pollDetailSchema.parse(r.body);
  return r.body;
}

export async function vote(room: Room, login: Login, pollId: string, ballot: Record<string, unknown>): Promise<{ tracker: string; receiptSig?: string }> {
  const r = await room.call<{ tracker: string; receiptSig?: string }>(login, 'POST', `/api/polls/${pollId}/ballots`, ballot);
  expect(r.status, `${login} votes: ${JSON.stringify(r.body)}`).toBe(201);
  ballotReceiptSchema.parse(r.body);
  return r.body;
}

export async function getPoll(room: Room, login: Login, pollId: string): Promise<PollDetail> {
  const r = await room.call<PollDetail>(login, 'GET', `/api/polls/${pollId}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  // Checked against the schema, but returned as sent: parsing would strip a key the hub should not have sent.
  pollDetailSchema.parse(r.body);
  return r.body;
}

/** The meeting's live document as `login`'s client sees it. */
export async function liveDoc(room: Room, login: Login = 'delegate1'): Promise<YClient> {
  const c = connectDoc(room.hub.url, `live/${room.meetingId}`, room.tokens.get(login)!);
  await waitSynced(c);
  return c;
}

export async function waitLivePoll(c: YClient, pollId: string, pred: (p: PollPublic) => boolean, what: string): Promise<PollPublic> {
  await waitFor(() => {
    const p = live.poll(c.doc, pollId);
    return p !== null && pred(p);
  }, 10_000, what);
  return live.poll(c.doc, pollId)!;
}
