// The inspector's export (docs/audit.md): from a real hub process, `GET /api/audit/export`
// (admins only) and `npm run audit -- export DIR OUT` give a JSONL file the same verifier checks
// offline against the hub's key, and that fails once a line is edited, removed, or re-signed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { auditCli } from './audit-helpers.ts';
import { checkpointText, signatureDigest } from '../../electron/hub/audit/chain.ts';

let hub: HubUnderTest;
const tokens: Record<string, string> = {};
let hubKey: { publicKey: string; fingerprint: string };
const out = tempDir('chamber-audit-export-');

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  for (const login of ['admin', 'delegate1', 'secretary']) tokens[login] = (await signIn(hub.url, login)).token;
  hubKey = (await api<{ publicKey: string; fingerprint: string }>(hub.url, tokens.admin!, '/api/hub/key')).body;
}, 60_000);

afterAll(async () => {
  await hub.stop();
});

async function download(): Promise<{ file: string; lines: string[] }> {
  const res = await fetch(`${hub.url}/api/audit/export`, { headers: { authorization: `Bearer ${tokens.admin}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/x-ndjson');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{14}\.jsonl"$/);
  const text = await res.text();
  const file = path.join(out, `export-${crypto.randomUUID()}.jsonl`);
  fs.writeFileSync(file, text);
  return { file, lines: text.trimEnd().split('\n') };
}

const write = (lines: string[]): string => {
  const file = path.join(out, `changed-${crypto.randomUUID()}.jsonl`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
};

describe('GET /api/audit/export', () => {
  it('is for admins only', async () => {
    for (const login of ['delegate1', 'secretary']) {
      const r = await api<{ error: string; message: string }>(hub.url, tokens[login]!, '/api/audit/export');
      expect(r.status).toBe(403);
      expect(r.body.message).toBe('only an admin may export the audit trail');
    }
    expect((await fetch(`${hub.url}/api/audit/export`)).status).toBe(401);
  });

  it('gives a file the verifier checks offline: every entry sealed by a signed checkpoint, the export itself recorded', async () => {
    const { file, lines } = await download();
    const header = JSON.parse(lines[0]!) as { type: string; publicKey: string; fingerprint: string };
    expect(header).toMatchObject({ type: 'header', format: 'chamber-audit-export', version: 1, publicKey: hubKey.publicKey, fingerprint: hubKey.fingerprint });
    const entries = lines.slice(1).map((l) => JSON.parse(l) as { type: string; action?: string; user_id?: string });
    expect(entries.filter((e) => e.type === 'entry' && e.action === 'sign-in').length).toBeGreaterThanOrEqual(3);
    expect(entries.filter((e) => e.type === 'entry').at(-1)).toMatchObject({ action: 'audit-exported' });
    expect(entries.filter((e) => e.type === 'checkpoint').length).toBeGreaterThanOrEqual(1);

    const r = await auditCli('verify', file, '--key', hubKey.fingerprint);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^OK: /m);
    expect(r.stdout).not.toContain('not yet checkpointed');
    const bare = await auditCli('verify', file);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain(`hub key: ${hubKey.fingerprint} (from the export: pass --key to check it is the hub's)`);
  });

  it('fails once a line is edited or removed', async () => {
    const { lines } = await download();
    const i = lines.findIndex((l) => l.includes('"action":"sign-in"'));
    const edited = [...lines];
    edited[i] = edited[i]!.replace('"action":"sign-in"', '"action":"sign-in-failed"');
    const id = (JSON.parse(lines[i]!) as { id: number }).id;
    const e = await auditCli('verify', write(edited), '--key', hubKey.fingerprint);
    expect(e.code).toBe(1);
    expect(e.stdout).toContain(`EDITED entry ${id}: entry ${id}'s content does not match its hash`);

    const removed = lines.filter((_l, k) => k !== i);
    const r = await auditCli('verify', write(removed), '--key', hubKey.fingerprint);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`REMOVED entry ${id}: entry ${id} is missing`);

    const garbage = await auditCli('verify', write([...lines.slice(0, 2), '{"type":"entry","id":"x"}', ...lines.slice(2)]), '--key', hubKey.fingerprint);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toContain('MALFORMED line 3: neither an audit entry nor a checkpoint');
  });

  it('fails when the export is re-signed with another key, checked against the hub\'s', async () => {
    const { lines } = await download();
    // The forger edits an entry, rebuilds nothing else, re-signs every checkpoint and names their own key.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const forgedKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    let prevSig: string | null = null;
    const forged = lines.map((l, k) => {
      const v = JSON.parse(l) as Record<string, unknown>;
      if (k === 0) return JSON.stringify({ ...v, publicKey: forgedKey });
      if (v.type !== 'checkpoint') return l;
      const body = { ...v, prev: prevSig ? signatureDigest(prevSig) : v.prev } as unknown as Parameters<typeof checkpointText>[0];
      const signature = crypto.sign(null, Buffer.from(checkpointText(body)), privateKey).toString('base64');
      prevSig = signature;
      return JSON.stringify({ ...body, signature });
    });
    const file = write(forged);
    // On its own the forged file is self-consistent; against the hub's key it is not.
    expect((await auditCli('verify', file)).code).toBe(0);
    const r = await auditCli('verify', file, '--key', hubKey.fingerprint);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`KEY key: the export's key has fingerprint`);
    const withKey = await auditCli('verify', file, '--key', hubKey.publicKey);
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toMatch(/CHECKPOINT checkpoint \d+: checkpoint \d+'s content does not match its signature/);
  });
});

describe('npm run audit -- export DIR OUT', () => {
  it('exports a running hub\'s folder read-only; the file verifies; an existing file is not overwritten', async () => {
    const file = path.join(out, 'cli.jsonl');
    const r = await auditCli('export', hub.dataDir, file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${file}`);
    const v = await auditCli('verify', file, '--key', hubKey.fingerprint);
    expect(v.code, v.stdout).toBe(0);
    const again = await auditCli('export', hub.dataDir, file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('EEXIST');
  });
});
