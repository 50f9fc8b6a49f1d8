// What the record tests share, over the attendance tests' room (a real hub process with the demo
// accounts, fresh published meetings with an agenda): a published vote, the record as a
// participant reads it, and a call's answer checked against the route table's schema.
import { expect } from 'vitest';
import { openHubDb } from './hub-helpers.ts';
import type { Login, Room } from './procedures-attendance-helpers.ts';
import { actionItemListSchema, actionItemSchema, decisionSchema, meetingRecordSchema, type ActionItem, type Decision, type MeetingRecord } from '../../shared/records.ts';
import type { PollDetail } from '../../shared/procedures/polls.ts';

export type Vote = 'yes' | 'no' | 'abstain';

/** Checks a status, then the body against `schema` (the hub's answers must fit the table's). */
export async function expectOk<T>(p: Promise<{ status: number; body: unknown }>, status: number, schema: { parse(v: unknown): T }): Promise<T> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return schema.parse(r.body);
}

/** The refusal's status and error code. */
export async function expectRefused(p: Promise<{ status: number; body: unknown }>, status: number, code?: string): Promise<string> {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  const body = r.body as { error: string; message: string };
  if (code) expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  return body.message;
}

export const record = (room: Room, login: Login, meetingId: string): Promise<MeetingRecord> =>
  expectOk(room.call(login, 'GET', `/api/meetings/${meetingId}/record`), 200, meetingRecordSchema);

export const createDecision = (room: Room, meetingId: string, body: Record<string, unknown>, by: Login = 'chair'): Promise<Decision> =>
  expectOk(room.call(by, 'POST', `/api/meetings/${meetingId}/decisions`, body), 201, decisionSchema);

export const createAction = (room: Room, meetingId: string, body: Record<string, unknown>, by: Login = 'secretary'): Promise<ActionItem> =>
  expectOk(room.call(by, 'POST', `/api/meetings/${meetingId}/action-items`, body), 201, actionItemSchema);

export const listActions = (room: Room, login: Login, query = '') =>
  expectOk(room.call(login, 'GET', `/api/action-items${query}`), 200, actionItemListSchema);

/**
 * A vote of the meeting carried to `until` ('published' by default): the voters are checked in,
 * the chair opens it, each votes, the chair closes it (and publishes it).
 */
export async function runPoll(room: Room, meetingId: string, votes: Partial<Record<Login, Vote>>, opts: { visibility?: 'named' | 'secret'; until?: 'created' | 'finished' | 'published'; title?: string } = {}): Promise<string> {
  const created = await room.call<{ id: string }>('chair', 'POST', `/api/meetings/${meetingId}/polls`, {
    title: opts.title ?? 'Approve', method: 'approval', visibility: opts.visibility ?? 'named',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id;
  if (opts.until === 'created') return id;
  for (const login of Object.keys(votes) as Login[]) {
    const r = await room.call('secretary', 'POST', `/api/meetings/${meetingId}/attendance`, { status: 'present', userId: room.id(login) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const step = async (action: string) => {
    const r = await room.call<PollDetail>('chair', 'POST', `/api/polls/${id}/${action}`);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  await step('start');
  for (const [login, value] of Object.entries(votes)) {
    const r = await room.call(login as Login, 'POST', `/api/polls/${id}/ballots`, { value });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  await step('stop');
  if (opts.until !== 'finished') await step('publish');
  return id;
}

/** Rows of the record's tables and the audit log, read from the hub's file: a refused call changes none. */
export function footprint(room: Room): Record<string, number> {
  const db = openHubDb(room.hub.dataDir);
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      outcomes: count('SELECT COUNT(*) AS n FROM item_outcomes'),
      decisions: count('SELECT COUNT(*) AS n FROM decisions'),
      dissents: count('SELECT COUNT(*) AS n FROM decision_dissents'),
      actions: count('SELECT COUNT(*) AS n FROM action_items'),
      audit: count('SELECT COUNT(*) AS n FROM audit'),
      // Any write changes some row's time.
      lastChange: count('SELECT MAX(t) AS n FROM (SELECT MAX(updated_at) AS t FROM item_outcomes UNION ALL SELECT MAX(updated_at) FROM decisions UNION ALL SELECT MAX(at) FROM decision_dissents UNION ALL SELECT MAX(updated_at) FROM action_items)') ?? 0,
    };
  } finally {
    db.close();
  }
}
