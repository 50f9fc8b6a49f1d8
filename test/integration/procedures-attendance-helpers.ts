// What the attendance and speakers tests share: a real hub process with the demo accounts, a
// fresh published meeting per test (with an agenda written by the secretary's own Yjs client),
// HTTP calls as any demo user, and delegates' live documents synced over y-websocket.
import { expect } from 'vitest';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

export const LOGINS = ['admin', 'secretary', 'chair', 'delegate1', 'delegate2', 'delegate3'] as const;
export type Login = (typeof LOGINS)[number];

export class Room {
  hub!: HubUnderTest;
  readonly tokens: Partial<Record<Login, string>> = {};
  readonly ids: Partial<Record<Login, string>> = {};
  private readonly clients: YClient[] = [];

  async start(dataDir?: string): Promise<void> {
    this.hub = await startHubIn(dataDir, { demo: true });
    for (const login of LOGINS) {
      const s = await signIn(this.hub.url, login);
      this.tokens[login] = s.token;
      this.ids[login] = s.user.id;
    }
  }

  /** The same data folder, a new hub process (sessions survive: they are in the database). */
  async restart(whileStopped?: () => void): Promise<void> {
    for (const c of this.clients.splice(0)) c.destroy();
    await this.hub.stop();
    whileStopped?.();
    this.hub = await startHubIn(this.hub.dataDir, { demo: true });
  }

  /** Restarts the hub with the meeting's live/<id> removed from the file (lost, or never written). */
  restartWithoutLiveDoc(meetingId: string): Promise<void> {
    return this.restart(() => {
      const db = openHubDb(this.hub.dataDir);
      try {
        db.prepare('DELETE FROM doc_updates WHERE doc = ?').run(`live/${meetingId}`);
        db.prepare('DELETE FROM doc_snapshots WHERE doc = ?').run(`live/${meetingId}`);
      } finally {
        db.close();
      }
    });
  }

  async stop(): Promise<void> {
    for (const c of this.clients.splice(0)) c.destroy();
    await this.hub?.stop();
  }

  id(login: Login): string {
    return this.ids[login]!;
  }

  call<T = unknown>(login: Login, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    return api<T>(this.hub.url, this.tokens[login]!, path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  /**
   * A published meeting with these participants (login → meeting role), optionally a start
   * time and agenda items (ids), the agenda written as a secretary's client would.
   */
  async meeting(roles: Partial<Record<Login, string>>, opts: { startsAt?: string; agenda?: string[] } = {}): Promise<string> {
    const created = await this.call<{ id: string }>('secretary', 'POST', '/api/meetings', { title: `procedures ${Math.random().toString(36).slice(2)}`, startsAt: opts.startsAt ?? null });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const [login, role] of Object.entries(roles)) {
      expect((await this.call('admin', 'PUT', `/api/meetings/${id}/participants/${this.id(login as Login)}`, { role })).status).toBe(200);
    }
    expect((await this.call('admin', 'PATCH', `/api/meetings/${id}`, { status: 'published' })).status).toBe(200);
    if (opts.agenda?.length) {
      const writer = this.doc('admin', `meeting/${id}`);
      await waitSynced(writer);
      for (const item of opts.agenda) meetingDoc.addAgendaItem(writer.doc, item, { title: `Item ${item}` });
      // Seen by a second client, so the hub has applied it before any command names an item.
      const check = this.doc('admin', `meeting/${id}`);
      await waitSynced(check);
      await waitFor(() => opts.agenda!.every((i) => meetingDoc.readAgenda(check.doc).some((a) => a.id === i)), 10_000, 'agenda on the hub');
    }
    return id;
  }

  doc(login: Login, name: string): YClient {
    const c = connectDoc(this.hub.url, name, this.tokens[login]!);
    this.clients.push(c);
    return c;
  }

  /** A participant's synced copy of live/<meetingId>. */
  async live(login: Login, meetingId: string): Promise<YClient> {
    const c = this.doc(login, `live/${meetingId}`);
    await waitSynced(c);
    return c;
  }

  async auditActions(): Promise<Array<{ action: string; target: string | null; detail: string | null }>> {
    const r = await this.call<Array<{ action: string; target: string | null; detail: string | null }>>('admin', 'GET', '/api/audit');
    expect(r.status).toBe(200);
    return r.body;
  }
}
