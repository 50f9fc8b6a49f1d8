// Schema versions against a database of the schema before versions existed: the fixture in
// test/fixtures/schema-v0/ was written by the code of commit ab367f6 (make-schema-v0.ts says how).
// A real hub and a real agent start on copies of it; everything in it is still there afterwards,
// with every stored time turned into INTEGER ms, and a file newer than the code is refused.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { GENESIS, entryHash, type ChainedEntry } from '../../electron/hub/audit/chain.ts';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { HubDb } from '../../electron/hub/hub-db.ts';
import { HUB_SCHEMA } from '../../electron/hub/hub-schema.ts';
import { AGENT_SCHEMA } from '../../electron/agent/agent-db.ts';
import { DocStore, openDatabase } from '../../electron/core/store.ts';
import { latestVersion, migrate, SchemaError, type SchemaKind } from '../../electron/core/migrations.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/schema-v0');
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running.reverse()) await p.stop();
});

function copyFixture(files: string[]): string {
  const dir = tempDir('chamber-migrate-');
  for (const f of files) {
    fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    // git keeps the fixture 0644; the agent refuses a key file others may read.
    fs.chmodSync(path.join(dir, f), 0o600);
  }
  return dir;
}

type Row = Record<string, unknown>;
const TIME_COLUMNS: Record<string, string[]> = {
  accounts: ['created_at'], meetings: ['created_at'], papers: ['created_at'], paper_versions: ['created_at'],
  audit: ['at'], device_wipe_orders: ['created_at'], devices: ['first_seen', 'last_seen'], device_wipe_acks: ['acked_at'],
};
const HUB_TABLES = ['meta', 'accounts', 'sessions', 'meetings', 'participants', 'papers', 'paper_access', 'paper_versions', 'audit',
  'page_fingerprints', 'paper_carry', 'device_wipe_orders', 'devices', 'device_wipe_acks',
  'doc_updates', 'doc_snapshots', 'blobs', 'blob_chunks', 'doc_quarantine'];

function dump(db: BetterSqlite3.Database, tables: string[]): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const t of tables) out[t] = db.prepare<[], Row>(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  return out;
}

/** Columns later steps add to existing tables, with the value a row from before them takes. */
const ADDED_COLUMNS: Record<string, Row> = {
  // Step 9: every paper from before classification levels is `normal`; step 12: released, replacing none.
  papers: { level: 'normal', staged: 0, replaces: null },
};

/** What the rows must be after the upgrade: ISO text times as ms, added columns at their defaults, everything else as it was. */
function expectedAfter(before: Record<string, Row[]>): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const [t, rows] of Object.entries(before)) {
    out[t] = rows.map((r) => {
      const copy = { ...r, ...ADDED_COLUMNS[t] };
      for (const c of TIME_COLUMNS[t] ?? []) copy[c] = Date.parse(String(r[c]));
      return copy;
    });
  }
  return out;
}

describe('migrations: a hub database from before schema versions', () => {
  it('is upgraded by a starting hub with nothing lost, and the hub serves it', async () => {
    const raw = new BetterSqlite3(path.join(FIXTURE, 'hub.sqlite'), { readonly: true });
    const before = dump(raw, HUB_TABLES);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    raw.close();
    // The fixture holds what the test claims to keep.
    expect(before.accounts!.length).toBe(6);
    expect(before.sessions!.some((s) => s.revoked_at !== null)).toBe(true);
    expect(before.meetings!.length).toBe(2);
    expect(before.blob_chunks!.length).toBeGreaterThan(0);
    expect(before.doc_snapshots!.length).toBeGreaterThan(0);
    expect(before.device_wipe_orders!.length).toBe(1);
    expect(before.audit!.every((a) => typeof a.at === 'string')).toBe(true);

    const dir = copyFixture(['hub.sqlite']);
    const hub = await startHub(dir);
    running.push(hub);
    const admin = await signIn(hub.url, 'admin', 'demo');
    const meetings = await api<Array<{ id: string; title: string; startsAt: string | null }>>(hub.url, admin.token, '/api/meetings');
    expect(meetings.status).toBe(200);
    expect(meetings.body.map((m) => m.id).sort()).toEqual(before.meetings!.map((m) => m.id).sort());
    expect(meetings.body.find((m) => m.id === before.meetings![0]!.id)?.startsAt).toBe(before.meetings![0]!.starts_at);
    // Audit times still answer as the ISO text they were stored as.
    const audit = await api<Array<{ id: number; at: string }>>(hub.url, admin.token, '/api/audit');
    const first = audit.body.find((a) => a.id === before.audit![0]!.id);
    expect(first?.at).toBe(before.audit![0]!.at);
    const orders = await api<Array<{ id: number; createdAt: string; acks: Array<{ at: string }> }>>(hub.url, admin.token, `/api/devices/wipe?meetingId=${String(before.device_wipe_orders![0]!.meeting_id)}`);
    expect(orders.body[0]?.createdAt).toBe(before.device_wipe_orders![0]!.created_at);

    const db = new BetterSqlite3(path.join(dir, 'hub.sqlite'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(HUB_SCHEMA));
      const after = dump(db, HUB_TABLES);
      const expected = expectedAfter(before);
      // Rows written since the start (this test's sign-ins, audit lines, sessions) come after.
      for (const t of HUB_TABLES) {
        // Step 8 chains the audit rows it finds (checked below); their content stays as it was.
        if (t === 'audit') expect(after[t]!.map(({ prev_hash: _p, hash: _h, ...r }) => r), t).toEqual(expect.arrayContaining(expected[t]!));
        else if (t === 'sessions' || t === 'devices') expect(after[t], t).toEqual(expect.arrayContaining(expected[t]!));
        // A starting hub writes each open meeting's live/<id> (the roll and quorum): new rows of
        // those documents only, beside every row the file held.
        else if (t === 'doc_updates') expect(after[t]!.filter((r) => !String(r.doc).startsWith('live/')), t).toEqual(expected[t]);
        else expect(after[t], t).toEqual(expected[t]);
      }
      // The rows from before the chain are chained in id order, the first to the start, and the hub's rows follow on.
      const chained = after.audit as unknown as ChainedEntry[];
      chained.forEach((r, i) => {
        expect(r.prev_hash).toBe(i === 0 ? GENESIS : chained[i - 1]!.hash);
        expect(entryHash(r)).toBe(r.hash);
      });
      for (const [t, cols] of Object.entries(TIME_COLUMNS)) {
        for (const c of cols) {
          const types = db.prepare<[], { ty: string }>(`SELECT DISTINCT typeof(${c}) AS ty FROM ${t}`).all().map((r) => r.ty);
          expect(types.filter((ty) => ty !== 'integer'), `${t}.${c}`).toEqual([]);
        }
      }
    } finally {
      db.close();
    }

    // An agent cache of the same age, with its key file, upgraded by a starting agent.
    const cacheBefore = openAgentCache(FIXTURE);
    const agentTables = ['agent_meta', 'agent_sessions', 'agent_meetings', 'doc_snapshots', 'doc_updates', 'blobs', 'blob_chunks'];
    const cacheRows = dump(cacheBefore, agentTables);
    expect(cacheBefore.pragma('user_version', { simple: true })).toBe(0);
    cacheBefore.close();
    const notesDoc = cacheRows.doc_snapshots!.concat(cacheRows.doc_updates!).map((r) => String(r.doc)).find((d) => d.startsWith('notes/'));
    expect(notesDoc).toBeDefined();
    const agentDir = copyFixture(['agent.sqlite', 'agent.key']);
    const agent = await startAgentProcess(hub.url, agentDir, 'delegate1');
    running.push(agent);
    const d1 = await signIn(agent.url, 'delegate1');
    await waitStatus(agent.url, d1.token, (s) => s.hub === 'online' && s.prefetch.length === 1, 'the agent online on its old cache');
    const cache = openAgentCache(agentDir);
    try {
      expect(cache.pragma('user_version', { simple: true })).toBe(latestVersion(AGENT_SCHEMA));
      const deviceId = cacheRows.agent_meta!.find((r) => r.key === 'device_id')?.value;
      expect(deviceId).toBeDefined();
      expect(cache.prepare<[], Row>("SELECT value FROM agent_meta WHERE key = 'device_id'").get()).toEqual({ value: deviceId });
      const blobsAfter = cache.prepare<[], Row>('SELECT sha256, size, complete FROM blobs ORDER BY sha256').all();
      expect(blobsAfter).toEqual(cacheRows.blobs!.map((b) => ({ sha256: b.sha256, size: b.size, complete: b.complete })).sort((a, b) => String(a.sha256).localeCompare(String(b.sha256))));
      // The note written before the upgrade is still in the cache.
      const store = new DocStore(cache);
      const doc = new Y.Doc();
      store.loadInto(notesDoc!, doc);
      expect(doc.getMap('fixture').get('note')).toBe('Ghi chú trước khi nâng cấp / a note from before the upgrade');
    } finally {
      cache.close();
    }
  });
});

describe('migrations: the runner', () => {
  it('refuses a file newer than the code, and a file of another kind', () => {
    const dir = copyFixture(['hub.sqlite']);
    const file = path.join(dir, 'hub.sqlite');
    const db = openDatabase(file);
    new HubDb(db);
    db.pragma('user_version = 99');
    expect(() => new HubDb(db)).toThrow(`schema version 99, newer than this release understands (${latestVersion(HUB_SCHEMA)})`);
    expect(() => migrate(db, AGENT_SCHEMA)).toThrow(SchemaError);
    expect(() => migrate(db, AGENT_SCHEMA)).toThrow(/another kind of Chamber file .*not the agent cache/);
    db.close();
  });

  it('applies each step in its own transaction: a failing step leaves the file at the step before', () => {
    const db = openDatabase(':memory:');
    const kind: SchemaKind = {
      label: 'test file', applicationId: 0x54455354,
      migrations: [
        { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE t (x INTEGER)') },
        { version: 2, name: 'two', up: (d) => { d.exec('INSERT INTO t VALUES (1)'); throw new Error('step two failed'); } },
      ],
    };
    expect(() => migrate(db, kind)).toThrow('step two failed');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM t').get()!.n).toBe(0);
    expect(migrate(db, { ...kind, migrations: kind.migrations.slice(0, 1) })).toEqual({ from: 1, to: 1, applied: [] });
    db.close();
  });
});
