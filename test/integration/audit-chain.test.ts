// The audit trail no one can quietly edit (issue 17; docs/audit.md): a real hub process writes a
// chained trail across restarts (a clean stop and a kill -9), signs checkpoints, and the real
// `npm run audit -- verify` finds each kind of edit made with sqlite directly on a stopped hub's
// file — naming where, exiting 1 — and never repairs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { signIn, tempDir } from '../helpers/processes.ts';
import { startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { auditCli, checkpoints, copyFolder, readOnly, rows, tamper, type Row } from './audit-helpers.ts';
import { GENESIS, entryHash } from '../../electron/hub/audit/chain.ts';
import { PollKeys, readHubPublicKey } from '../../electron/hub/procedures/poll-keys.ts';
import { HubDb } from '../../electron/hub/hub-db.ts';
import { openDatabase } from '../../electron/core/store.ts';

let base: string;
let firstRun: { lastId: number };
let secondRunStart: number;
const running: HubUnderTest[] = [];

async function signIns(url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await signIn(url, i % 2 ? 'delegate1' : 'chair');
}

beforeAll(async () => {
  // Run 1: seeded, a few sign-ins, a clean stop (checkpoint "stop").
  let hub = await startHubIn(undefined, { demo: true });
  running.push(hub);
  base = hub.dataDir;
  await signIns(hub.url, 4);
  await hub.stop();
  firstRun = { lastId: readOnly(base, (db) => rows(db).at(-1)!.id) };
  // Run 2: more entries, then kill -9: they are not checkpointed until the next start.
  hub = await startHubIn(base);
  running.push(hub);
  await signIns(hub.url, 4);
  await hub.kill9();
  secondRunStart = firstRun.lastId + 1;
  const afterKill = await auditCli('verify', base, '--json');
  expect(afterKill.code).toBe(0);
  const report = JSON.parse(afterKill.stdout) as { uncheckpointed: number; ok: boolean };
  expect(report).toMatchObject({ ok: true, uncheckpointed: 4 });
  // Run 3: its start seals what run 2 wrote; a few more entries and a clean stop.
  hub = await startHubIn(base);
  running.push(hub);
  await signIns(hub.url, 3);
  await hub.stop();
}, 120_000);

afterAll(async () => {
  for (const h of running) await h.stop();
});

describe('the chain across restarts', () => {
  it('links every run to the one before and is sealed by signed checkpoints at start and stop', async () => {
    const all = readOnly(base, rows);
    expect(all.length).toBe(firstRun.lastId + 4 + 3);
    expect(all[0]!.prev_hash).toBe(GENESIS);
    all.forEach((r, i) => {
      expect(r.id).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(all[i - 1]!.hash);
      expect(entryHash(r)).toBe(r.hash);
    });
    expect(all[secondRunStart - 1]!.prev_hash).toBe(all[secondRunStart - 2]!.hash);
    const cps = readOnly(base, checkpoints);
    expect(cps.map((c) => c.reason)).toEqual(['stop', 'start', 'stop']);
    expect(cps.map((c) => c.last_id)).toEqual([firstRun.lastId, firstRun.lastId + 4, all.at(-1)!.id]);

    const r = await auditCli('verify', base);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`entries: ${all.length} (ids 1–${all.length}); checkpoints: 3`);
    expect(r.stdout).toMatch(/^OK: /m);
    expect(r.stdout).not.toContain('not yet checkpointed');
  });

  it('verifies a bare hub.sqlite with the key given, and refuses a wrong key', async () => {
    const key = await auditCli('verify', base, '--json');
    const fingerprint = (JSON.parse(key.stdout) as { keyFingerprint: string }).keyFingerprint;
    expect((await auditCli('verify', base, '--key', fingerprint)).code).toBe(0);
    const alone = path.join(tempDir('chamber-audit-bare-'), 'hub.sqlite');
    fs.copyFileSync(path.join(base, 'hub.sqlite'), alone);
    const noKey = await auditCli('verify', alone);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no hub key: pass --key');
    const withKey = await auditCli('verify', alone, '--key', readHubPublicKey(base)!);
    expect(withKey.code, withKey.stdout).toBe(0);
    expect(withKey.stdout).toContain(`hub key: ${fingerprint} (the key given)`);
    const wrong = await auditCli('verify', base, '--key', 'f'.repeat(64));
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(`KEY key: the data folder's key has fingerprint ${fingerprint}`);
  });
});

describe('tampering with a stopped hub\'s file', () => {
  const verifyCopy = async (change: (db: import('better-sqlite3').Database) => void) => {
    const dir = copyFolder(base);
    tamper(dir, change);
    const before = readOnly(dir, (db) => JSON.stringify([rows(db), checkpoints(db)]));
    const r = await auditCli('verify', dir);
    // The verifier never repairs: the file is as the attacker left it.
    expect(readOnly(dir, (db) => JSON.stringify([rows(db), checkpoints(db)]))).toBe(before);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAILED: /m);
    return r.stdout;
  };

  it('finds an edited field', async () => {
    const out = await verifyCopy((db) => db.prepare("UPDATE audit SET target = 'someone-else' WHERE id = 3").run());
    expect(out).toContain("EDITED entry 3: entry 3's content does not match its hash");
  });

  it('finds a time moved by one millisecond, and a detail edited in place', async () => {
    expect(await verifyCopy((db) => db.prepare('UPDATE audit SET at = at + 1 WHERE id = 2').run())).toContain("EDITED entry 2: entry 2's content does not match its hash");
    expect(await verifyCopy((db) => db.prepare("UPDATE audit SET detail = '{}' WHERE id = 1").run())).toContain("EDITED entry 1: entry 1's content does not match its hash");
  });

  it('finds a removed row', async () => {
    const out = await verifyCopy((db) => db.prepare('DELETE FROM audit WHERE id = 4').run());
    expect(out).toContain('REMOVED entry 4: entry 4 is missing');
    expect(out).toMatch(/CHECKPOINT checkpoint 1: counted \d+ entries up to entry \d+; there are now \d+/);
  });

  it('finds an inserted row, even one given a valid hash, with the later ids renumbered', async () => {
    const at = 5;
    const out = await verifyCopy((db) => {
      db.transaction(() => {
        // Make room at id 6 the way an attacker would: move every later row up by one.
        db.prepare('UPDATE audit SET id = -id WHERE id > ?').run(at);
        db.prepare('UPDATE audit SET id = -id + 1 WHERE id < 0').run();
        const prev = db.prepare('SELECT hash FROM audit WHERE id = ?').get(at) as { hash: string };
        const forged = { id: at + 1, at: Date.now(), user_id: null, action: 'sign-in', target: null, detail: null, prev_hash: prev.hash };
        db.prepare('INSERT INTO audit (id, at, user_id, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(forged.id, forged.at, null, forged.action, null, null, forged.prev_hash, entryHash(forged));
      })();
    });
    expect(out).toContain(`INSERTED entry ${at + 1}: an entry was inserted before entry ${at + 2}`);
  });

  it('finds two rows swapped', async () => {
    const out = await verifyCopy((db) => {
      db.transaction(() => {
        db.prepare('UPDATE audit SET id = -1 WHERE id = 3').run();
        db.prepare('UPDATE audit SET id = 3 WHERE id = 4').run();
        db.prepare('UPDATE audit SET id = 4 WHERE id = -1').run();
      })();
    });
    expect(out).toContain('REORDERED entries 3, 4: entries 3, 4 are not in the order they were written');
    expect(out).not.toContain('EDITED');
  });

  it('finds the tail cut off, up to and past the last periodic checkpoint', async () => {
    const cut = firstRun.lastId + 4; // what the start checkpoint sealed: run 3's entries go
    const last = readOnly(base, (db) => rows(db).at(-1)!.id);
    const out = await verifyCopy((db) => db.prepare('DELETE FROM audit WHERE id > ?').run(cut));
    expect(out).toContain(`CHECKPOINT checkpoint 3: sealed entry ${last}, which is missing: the trail was truncated or entries removed between checkpoint 2 (entry ${cut}) and entry ${last}`);
  });

  it('finds the tail cut off together with the checkpoint that sealed it, by the table\'s id counter', async () => {
    const cut = firstRun.lastId + 4;
    const last = readOnly(base, (db) => rows(db).at(-1)!.id);
    const out = await verifyCopy((db) => {
      db.prepare('DELETE FROM audit WHERE id > ?').run(cut);
      db.prepare('DELETE FROM audit_checkpoints WHERE id = 3').run();
    });
    expect(out).toContain(`REMOVED entries ${cut + 1}–${last}: entries ${cut + 1}–${last} are missing: the table's id counter shows they were written`);
  });

  it('finds everything after a checkpoint rewritten as a fresh, valid chain: at the next checkpoint', async () => {
    const from = firstRun.lastId + 1;
    const last = readOnly(base, (db) => rows(db).at(-1)!.id);
    const out = await verifyCopy((db) => {
      const all = rows(db);
      const set = db.prepare('UPDATE audit SET user_id = ?, prev_hash = ?, hash = ? WHERE id = ?');
      let prev = all[from - 2]!.hash;
      db.transaction(() => {
        for (const r of all.slice(from - 1)) {
          const changed: Row = { ...r, user_id: r.id === from ? 'framed-user' : r.user_id, prev_hash: prev };
          const hash = entryHash(changed);
          set.run(changed.user_id, prev, hash, r.id);
          prev = hash;
        }
      })();
    });
    // Every entry chains, so the only evidence is the checkpoints' signed hashes.
    expect(out).not.toMatch(/^(EDITED|REMOVED|INSERTED|REORDERED|CHAIN-BREAK)/m);
    expect(out).toMatch(new RegExp(`CHECKPOINT checkpoint 2: sealed entry ${from + 3} with hash [0-9a-f]{12}…, which now hashes to [0-9a-f]{12}…: the trail was rewritten between checkpoint 1 \\(entry ${from - 1}\\) and entry ${from + 3}`));
    expect(out).toContain(`CHECKPOINT checkpoint 3: sealed entry ${last}`);
  });

  it('finds a rewritten chain re-sealed by a forged checkpoint: its signature fails', async () => {
    const out = await verifyCopy((db) => {
      const all = rows(db);
      db.prepare('UPDATE audit_checkpoints SET last_hash = ? WHERE id = 1').run(all[0]!.hash);
    });
    expect(out).toContain("CHECKPOINT checkpoint 1: checkpoint 1's content does not match its signature");
  });

  it('finds an edited checkpoint, and a removed one in the middle', async () => {
    const edited = await verifyCopy((db) => db.prepare('UPDATE audit_checkpoints SET count = count + 1 WHERE id = 2').run());
    expect(edited).toContain("CHECKPOINT checkpoint 2: checkpoint 2's content does not match its signature");
    const removed = await verifyCopy((db) => db.prepare('DELETE FROM audit_checkpoints WHERE id = 2').run());
    expect(removed).toContain('CHECKPOINT checkpoint 2: missing: removed from the table');
  });
});

describe('the CLI', () => {
  it('answers a usage error and an unreadable trail with exit code 2', async () => {
    const none = await auditCli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run audit -- verify DIR|FILE');
    const missing = await auditCli('verify', '/nonexistent/folder');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/folder does not exist');
    const badFlag = await auditCli('verify', base, '--repair');
    expect(badFlag.code).toBe(2);
  });
});

describe('checkpoints every N entries, and entries inside the caller\'s transaction', () => {
  it('signs a checkpoint every N entries; a rolled-back write leaves no entry and no hole', async () => {
    const dir = tempDir('chamber-audit-every-');
    const sqlite = openDatabase(path.join(dir, 'hub.sqlite'));
    const db = new HubDb(sqlite);
    db.trail.attachSigner(new PollKeys(dir), 10);
    for (let i = 0; i < 12; i++) db.audit('sign-in', `u${i}`, null);
    // A write that fails takes its audit row with it: the chain goes on from the last committed one.
    expect(() => db.db.transaction(() => {
      db.audit('paper-removed', 'u1', 'p1');
      throw new Error('the write failed');
    })()).toThrow('the write failed');
    for (let i = 0; i < 13; i++) db.audit('sign-in', `v${i}`, null);
    const cps = checkpoints(sqlite);
    expect(cps.map((c) => [c.last_id, c.reason])).toEqual([[10, 'every'], [20, 'every']]);
    expect(rows(sqlite).map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_v, i) => i + 1));
    sqlite.close();
    const r = await auditCli('verify', dir);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('not yet checkpointed: 5 entries after the last checkpoint');
    expect(r.stdout).toContain('last checkpoint: 2 sealing entry 20');
  });
});
