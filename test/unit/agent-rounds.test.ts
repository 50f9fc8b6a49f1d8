// The agent's rounds with the hub, without sockets: the hub client is a scripted stand-in (its
// answers and refusals are what the real HubClient turns the hub's replies into), the cache a real
// SQLite file with the real AgentDb, DocStore, SyncCore, MeetingCache and Account. Replicas are a
// recorder (the links themselves are proven by the agent's integration tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceOrder, MeetingDetail, MeetingSummary, PaperInfo, SessionResponse, User } from '../../shared/api.ts';
import { DocStore, openDatabase, type Database } from '../../electron/core/store.ts';
import { SyncCore } from '../../electron/core/sync-core.ts';
import { Account } from '../../electron/agent/account.ts';
import { AgentDb } from '../../electron/agent/agent-db.ts';
import { HubRefusedError, HubUnreachableError } from '../../electron/agent/hub-client.ts';
import { HubRounds, type RoundsHub } from '../../electron/agent/hub-rounds.ts';
import { MeetingCache } from '../../electron/agent/meeting-cache.ts';
import type { MeetingPapers } from '../../electron/agent/prefetch.ts';
import type { Replicas } from '../../electron/agent/replication.ts';

const ANA: User = { id: 'u-ana', login: 'ana', name: 'Ana', role: 'delegate' };
const BOB: User = { id: 'u-bob', login: 'bob', name: 'Bob', role: 'delegate' };
const SHA = 'a'.repeat(64);

const summary = (id: string): MeetingSummary => ({ id, title: `Meeting ${id}`, startsAt: null, room: null, status: 'published', myRole: 'delegate' });
const paper = (meetingId: string): PaperInfo => ({
  id: `p-${meetingId}`, meetingId, title: 'Agenda', restricted: false,
  versions: [{ version: 1, sha256: SHA, pages: 1, size: 10, fileName: 'a.pdf', createdAt: '2026-01-01T00:00:00Z' }],
});

/** The hub as the rounds see it: a list of meetings, a session, orders; any call can be made to fail. */
class ScriptedHub implements RoundsHub {
  token: string | null = null;
  readonly baseUrl = 'http://127.0.0.1:1';
  user: User = ANA;
  listed: MeetingSummary[] = [];
  pendingOrders: DeviceOrder[] = [];
  acked: number[] = [];
  signIns: string[] = [];
  /** A failure per call name (session, meetings, meeting, papers, orders, signIn, raw), thrown on every call. */
  failing = new Map<string, Error>();
  /** The hub's password for `user`. */
  password = 'right';

  private check(call: string): void {
    const err = this.failing.get(call);
    if (err) throw err;
  }
  async raw(): Promise<Response> {
    this.check('raw');
    return new Response('{"ok":true}');
  }
  async signIn(login: string, password: string): Promise<SessionResponse> {
    this.signIns.push(login);
    this.check('signIn');
    if (login !== this.user.login || password !== this.password) throw new HubRefusedError(401, 'wrong login or password');
    return { token: `hub-token-${this.signIns.length}`, user: this.user, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
  }
  async session(): Promise<User> {
    this.check('session');
    return this.user;
  }
  async meetings(): Promise<MeetingSummary[]> {
    this.check('meetings');
    return this.listed;
  }
  async meeting(id: string): Promise<MeetingDetail> {
    this.check('meeting');
    this.check(`meeting:${id}`);
    return { ...summary(id), participants: [] };
  }
  async papers(id: string): Promise<PaperInfo[]> {
    this.check('papers');
    return [paper(id)];
  }
  async orders(): Promise<DeviceOrder[]> {
    this.check('orders');
    return this.pendingOrders;
  }
  async ackOrder(id: number): Promise<void> {
    this.acked.push(id);
    this.pendingOrders = this.pendingOrders.filter((o) => o.id !== id);
  }
}

/** Records what the cache asks of the replicas; a purge forgets the documents as the real one does. */
class RecordingReplicas implements Replicas {
  private readonly core: SyncCore;
  constructor(core: SyncCore) {
    this.core = core;
  }
  started = new Set<string>();
  stopped: Array<{ id: string; purge: boolean }> = [];
  startAlls = 0;
  nudges = 0;
  userId: () => string | null = () => null;
  start(id: string): void {
    this.started.add(id);
  }
  stop(id: string, purge: boolean): void {
    this.started.delete(id);
    this.stopped.push({ id, purge });
    if (purge) for (const name of this.docsOf(id)) this.core.purge(name);
  }
  docsOf(id: string): string[] {
    const u = this.userId();
    return u ? [`meeting/${id}`, `notes/${id}/${u}`] : [];
  }
  startAll(): void {
    this.startAlls++;
  }
  nudgeAll(): void {
    this.nudges++;
  }
}

let opened: Database[] = [];
afterEach(() => {
  for (const db of opened) db.close();
  opened = [];
});

/** A device whose cache already knows `user` with a hub session ending in `expiresInMs`. */
function device(opts: { user?: User | null; expiresInMs?: number; login?: string; password?: string } = {}) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-rounds-')), 'agent.sqlite');
  const sqlite = openDatabase(file);
  opened.push(sqlite);
  const store = new DocStore(sqlite);
  const db = new AgentDb(sqlite);
  const user = opts.user === undefined ? ANA : opts.user;
  if (user) db.saveSignIn(user, null, { token: 'hub-token-0', expiresAt: Date.now() + (opts.expiresInMs ?? 3_600_000) });
  const core = new SyncCore({ store });
  const hub = new ScriptedHub();
  const replicas = new RecordingReplicas(core);
  const logs: string[] = [];
  const log = (msg: string) => logs.push(msg);
  // What would be re-checked on the local sync connections: 'account', or a meeting's id.
  const accessChanges: string[] = [];
  const account: Account = new Account({
    db, hub, log,
    hooks: { onUserSwitch: () => meetings.purgeEverything('switch', true), onTokenChanged: () => {}, onAccessChanged: () => accessChanges.push('account') },
  }, { login: opts.login, password: opts.password });
  replicas.userId = () => account.user?.id ?? null;
  const meetings: MeetingCache = new MeetingCache({ db, store, core, replicas, cancelPrefetch: () => {}, account, log, onAccessChanged: (id) => accessChanges.push(id) });
  const plans: MeetingPapers[][] = [];
  const wipes: Array<{ meetingId: string; refetch: boolean }> = [];
  const rounds = new HubRounds({
    hub, account, meetings, replicas, log, deviceId: db.deviceId(), refreshMs: 60_000,
    backoff: { baseMs: 10, maxMs: 20, random: () => 1 },
    prefetch: (plan) => plans.push(plan),
    onWipeOrder: (o) => wipes.push(o),
  });
  meetings.load();
  return { sqlite, store, db, core, hub, replicas, account, meetings, rounds, plans, wipes, logs, accessChanges };
}

describe('agent rounds with the hub', () => {
  it('keeps the listed meetings with their detail and papers, then starts links and the prefetch', async () => {
    const d = device();
    d.hub.listed = [summary('m1'), summary('m2')];
    await d.rounds.round();
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(d.meetings.get('m1')?.papers).toEqual([paper('m1')]);
    expect([...d.replicas.started].sort()).toEqual(['m1', 'm2']);
    expect(d.rounds.link).toBe('online');
    expect(d.replicas.startAlls).toBe(1);
    expect(d.plans.at(-1)).toEqual([{ meetingId: 'm1', papers: [paper('m1')] }, { meetingId: 'm2', papers: [paper('m2')] }]);
  });

  it('purges a meeting the hub no longer lists, and one it answers 403 for, with their documents and papers', async () => {
    const d = device();
    d.hub.listed = [summary('m1'), summary('m2'), summary('m3')];
    await d.rounds.round();
    d.core.withDoc('meeting/m1', (doc) => doc.getText('t').insert(0, 'x'));
    d.store.putBlob(SHA, new Uint8Array(10));

    d.hub.listed = [summary('m2'), summary('m3')];
    d.hub.failing.set('meeting:m3', new HubRefusedError(403, 'not yours'));
    await d.rounds.round();

    expect(d.db.meetings().map((m) => m.id)).toEqual(['m2']);
    expect(d.replicas.stopped).toEqual([{ id: 'm1', purge: true }, { id: 'm3', purge: true }]);
    expect(d.store.docNames()).not.toContain('meeting/m1');
    // m2 still lists the paper file: it stays.
    expect(d.store.blobInfo(SHA)?.complete).toBe(true);
  });

  it('a 401 before the session\'s end purges everything; after it, only the hub token goes', async () => {
    const revoked = device({ expiresInMs: 3_600_000 });
    revoked.hub.listed = [summary('m1')];
    await revoked.rounds.round();
    revoked.hub.failing.set('session', new HubRefusedError(401, 'revoked'));
    await revoked.rounds.round();
    expect(revoked.db.meetings()).toEqual([]);
    expect(revoked.db.userJson()).toBeNull();
    expect(revoked.account.user).toBeNull();
    expect(revoked.hub.token).toBeNull();

    const lapsed = device({ expiresInMs: 30_000 });
    lapsed.hub.listed = [summary('m1')];
    await lapsed.rounds.round();
    lapsed.hub.failing.set('session', new HubRefusedError(401, 'expired'));
    await lapsed.rounds.round();
    expect(lapsed.db.meetings().map((m) => m.id)).toEqual(['m1']);
    expect(lapsed.account.user?.id).toBe(ANA.id);
    expect(lapsed.hub.token).toBeNull();
    expect(lapsed.db.hubCredentials()).toBeNull();
  });

  it('a round that finds a lower role (in a meeting, or the account\'s) has the local connections checked again', async () => {
    const d = device();
    d.hub.listed = [{ ...summary('m1'), myRole: 'secretary' }, summary('m2')];
    await d.rounds.round();
    expect(d.accessChanges).toEqual([]);
    d.hub.listed = [summary('m1'), summary('m2')];
    await d.rounds.round();
    expect(d.accessChanges).toEqual(['m1']);
    expect(d.meetings.get('m1')?.summary.myRole).toBe('delegate');

    d.hub.user = { ...ANA, role: 'observer' };
    await d.rounds.round();
    expect(d.accessChanges).toEqual(['m1', 'account']);
    // Kept in the cache: an offline start decides with the role the hub gave last.
    expect(JSON.parse(d.db.userJson()!)).toMatchObject({ id: ANA.id, role: 'observer' });
    expect(d.account.user?.role).toBe('observer');
  });

  it('a round whose answers did not change writes nothing to the cache', async () => {
    const d = device();
    d.hub.listed = [summary('m1'), summary('m2')];
    await d.rounds.round();
    const changes = () => (d.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    await d.rounds.round();
    expect(changes()).toBe(before);
    // A changed title is written.
    d.hub.listed = [{ ...summary('m1'), title: 'Renamed' }, summary('m2')];
    await d.rounds.round();
    expect(changes()).toBe(before + 1);
    expect(d.db.meeting('m1')?.summary.title).toBe('Renamed');
  });

  it('carries out a wipe order, acknowledges it, and keeps the meeting out until the user signs in again', async () => {
    const d = device();
    d.hub.listed = [summary('m1'), summary('m2')];
    await d.rounds.round();
    d.hub.pendingOrders = [{ id: 7, kind: 'wipe-meeting', meetingId: 'm1', userId: ANA.id, refetch: false, createdAt: '2026-01-01T00:00:00Z' }];
    await d.rounds.round();
    expect(d.hub.acked).toEqual([7]);
    expect(d.wipes).toEqual([{ meetingId: 'm1', refetch: false }]);
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m2']);
    // Still listed by the hub, still kept out (and recorded in the cache for the next start).
    await d.rounds.round();
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m2']);
    expect(d.db.wipedMeetings()).toEqual(['m1']);
    d.meetings.letWipedBack();
    await d.rounds.round();
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('a session of another user is an account switch: the cache goes, the cached user\'s notes stay', async () => {
    const d = device();
    d.hub.listed = [summary('m1')];
    await d.rounds.round();
    d.core.withDoc(`notes/m1/${ANA.id}`, (doc) => doc.getText('t').insert(0, 'mine'));
    d.core.withDoc('meeting/m1', (doc) => doc.getText('t').insert(0, 'shared'));
    d.hub.user = BOB;
    await d.rounds.round();
    expect(d.store.docNames()).toEqual([`notes/m1/${ANA.id}`]);
    expect(d.db.meetings()).toEqual([]);
  });

  it('signs in with the kept password when there is no hub session; a refused password is dropped', async () => {
    const d = device({ user: null, login: 'ana', password: 'right' });
    d.hub.listed = [summary('m1')];
    await d.rounds.round();
    expect(d.hub.signIns).toEqual(['ana']);
    expect(d.hub.token).toBe('hub-token-1');
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m1']);

    const wrong = device({ user: null, login: 'ana', password: 'wrong' });
    await wrong.rounds.round();
    await wrong.rounds.round();
    // Tried once: the agent waits for a client to sign in rather than guessing again.
    expect(wrong.hub.signIns).toEqual(['ana']);
    expect(wrong.account.password).toBeNull();
  });

  it('waits out the hub\'s sign-in throttle instead of retrying each round', async () => {
    const d = device({ user: null, login: 'ana', password: 'right' });
    d.hub.failing.set('signIn', new HubRefusedError(429, 'slow down', 60));
    await d.rounds.round();
    d.hub.failing.delete('signIn');
    await d.rounds.round();
    expect(d.hub.signIns).toEqual(['ana']);
    expect(d.account.password).toBe('right');
  });

  it('after the hub\'s sign-in throttle, the loop signs in again once Retry-After is over, not a refresh later', async () => {
    const d = device({ user: null, login: 'ana', password: 'right' });
    d.hub.listed = [summary('m1')];
    d.hub.failing.set('signIn', new HubRefusedError(429, 'slow down', 1));
    d.rounds.start();
    await d.rounds.request();
    expect(d.hub.signIns).toEqual(['ana']);
    d.hub.failing.delete('signIn');
    // refreshMs is 60 s here; the wait is Retry-After (1 s) plus a spread of up to as much again.
    const deadline = Date.now() + 5000;
    while (d.rounds.link !== 'online' || d.hub.token === null) {
      if (Date.now() > deadline) throw new Error('the loop did not sign in again after Retry-After');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(d.hub.signIns).toEqual(['ana', 'ana']);
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m1']);
    await d.rounds.close();
  });

  it('goes offline when the hub is unreachable, keeps the cache, and on return reconnects links promptly', async () => {
    const d = device();
    d.hub.listed = [summary('m1')];
    d.rounds.start();
    await d.rounds.request();
    expect(d.rounds.link).toBe('online');

    d.hub.failing.set('session', new HubUnreachableError('connection refused'));
    await d.rounds.request();
    expect(d.rounds.link).toBe('offline');
    expect(d.db.meetings().map((m) => m.id)).toEqual(['m1']);

    d.hub.failing.delete('session');
    // The loop retries on its own after the backoff (no request needed).
    const deadline = Date.now() + 5000;
    while (d.rounds.link !== 'online') {
      if (Date.now() > deadline) throw new Error('the loop did not retry after its backoff');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(d.replicas.nudges).toBe(1);
    await d.rounds.close();
  });

  it('without a user or password only checks that the hub is there', async () => {
    const d = device({ user: null });
    await d.rounds.round();
    expect(d.rounds.link).toBe('online');
    expect(d.hub.signIns).toEqual([]);
    d.hub.failing.set('raw', new HubUnreachableError('down'));
    await expect(d.rounds.round()).rejects.toBeInstanceOf(HubUnreachableError);
  });
});
