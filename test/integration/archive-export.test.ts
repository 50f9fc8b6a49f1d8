// The meeting package on a real hub process: a closed meeting exported as a ZIP (read with the
// test's own reader) holds every paper's every version byte for byte, attendance, published votes,
// the record, the agenda and an audit extract, each file as the signed manifest lists it; a secret
// vote leaves no link between a voter and a ballot in any file; only the meeting's managers export;
// a damaged paper is refused before a byte is sent; and `npm run archive -- verify` passes on the
// package and fails, naming the file, once anything in it changes.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { waitFor } from '../helpers/yclient.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { archiveCli, download, extractTo, publishedPoll, smallPdf, unzip, type UnzippedEntry } from './archive-helpers.ts';
import { MANIFEST_PATH, packageManifestSchema, SIGNATURE_PATH, type PackageManifest } from '../../shared/archive.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let meetingId: string;
const uploaded = new Map<string, Buffer>();
let secretTrackers: string[] = [];
let namedPoll: string;
let secretPoll: string;

const call = <T = Record<string, unknown>>(login: string, method: string, p: string, body?: unknown) =>
  api<T>(hub.url, tokens[login]!, p, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function upload(title: string, pdf: Buffer, query = ''): Promise<{ id: string; sha256: string }> {
  const r = await api<{ id: string; sha256: string }>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}${query}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  uploaded.set(r.body.sha256, pdf);
  return r.body;
}

const poll = (visibility: 'named' | 'secret', title: string, votes: Record<string, 'yes' | 'no' | 'abstain'>) => publishedPoll(call, meetingId, { visibility, title, votes });

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'chair', 'delegate1', 'delegate2', 'delegate3']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user.id;
  }
  meetingId = (await call<Array<{ id: string }>>('delegate1', 'GET', '/api/meetings')).body[0]!.id;

  const report = await upload('Báo cáo tài chính', await smallPdf('Report, first draft'));
  await upload('Báo cáo tài chính', await smallPdf('Report, as adopted'), `&replace=${report.id}`);
  await upload('Hồ sơ nhân sự', await smallPdf('Personnel file'), `&restrictTo=${users.delegate1}`);

  for (const login of ['chair', 'delegate1', 'delegate2']) expect((await call(login, 'POST', `/api/meetings/${meetingId}/attendance`, { status: 'present' })).status).toBe(200);
  const excused = await call('secretary', 'POST', `/api/meetings/${meetingId}/attendance`, { status: 'absent_excused', userId: users.delegate3, reason: 'Đi công tác, "Hà Nội"' });
  expect(excused.status, JSON.stringify(excused.body)).toBe(200);

  namedPoll = (await poll('named', 'Thông qua ngân sách', { chair: 'yes', delegate1: 'yes', delegate2: 'no' })).id;
  const secret = await poll('secret', 'Bầu trưởng ban', { chair: 'abstain', delegate1: 'yes', delegate2: 'no' });
  secretPoll = secret.id;
  secretTrackers = secret.trackers;
  expect((await call('chair', 'POST', `/api/meetings/${meetingId}/polls`, { title: 'Never run', method: 'approval', visibility: 'named' })).status).toBe(201);

  const decision = await call('chair', 'POST', `/api/meetings/${meetingId}/decisions`, { agendaItemId: 'item-budget', kind: 'resolution', text: 'Thông qua dự toán ngân sách 2027', pollId: namedPoll });
  expect(decision.status, JSON.stringify(decision.body)).toBe(201);
});

afterAll(async () => {
  db?.close();
  await hub?.stop();
});

const exportUrl = (query = '') => `${hub.url}/api/meetings/${meetingId}/export${query}`;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const byName = (entries: readonly UnzippedEntry[]) => new Map(entries.map((e) => [e.name, e]));
const manifestOf = (entries: readonly UnzippedEntry[]): PackageManifest => packageManifestSchema.parse(JSON.parse(byName(entries).get(MANIFEST_PATH)!.bytes.toString('utf8')));
const jsonOf = <T>(entries: readonly UnzippedEntry[], name: string): T => JSON.parse(byName(entries).get(name)!.bytes.toString('utf8')) as T;

describe('the meeting package', () => {
  it('is final only once the meeting is closed; before, a draft says so; managers only', async () => {
    const early = await download(exportUrl(), tokens.secretary!);
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body.toString()).error).toBe('meeting_open');

    const draft = await download(exportUrl('?draft=1'), tokens.chair!);
    expect(draft.status).toBe(200);
    expect(draft.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9-]+-draft\.zip"$/);
    const manifest = manifestOf(unzip(draft.body));
    expect(manifest.final).toBe(false);
    expect(manifest.meeting.status).toBe('published');

    expect((await download(exportUrl('?draft=1'), tokens.delegate1!)).status).toBe(403);
    expect((await download(exportUrl('?draft=2'), tokens.secretary!)).status).toBe(400);
    expect((await fetch(exportUrl('?draft=1'))).status).toBe(401);
    const outsider = await call<{ id: string }>('admin', 'POST', '/api/accounts', { login: 'outsider', name: 'Outsider', role: 'secretary', password: 'outsider-password' });
    expect(outsider.status).toBe(201);
    tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-password')).token;
    expect((await download(exportUrl('?draft=1'), tokens.outsider)).status).toBe(404);
  });

  let zip: Buffer;
  let entries: UnzippedEntry[];

  it('of a closed meeting holds every file its signed manifest lists, and nothing else', async () => {
    expect((await call('secretary', 'PATCH', `/api/meetings/${meetingId}`, { status: 'closed' })).status).toBe(200);
    const exports = () => (db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'meeting-exported'").get() as { n: number }).n;
    const before = exports();
    const head = await fetch(exportUrl(), { method: 'HEAD', headers: { authorization: `Bearer ${tokens.secretary}` } });
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'application/zip']);
    const res = await download(exportUrl(), tokens.secretary!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    zip = res.body;
    entries = unzip(zip);
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);

    const manifest = manifestOf(entries);
    expect(manifest.final).toBe(true);
    expect(manifest.meeting).toMatchObject({ id: meetingId, status: 'closed' });
    expect(Date.parse(manifest.meeting.closedAt!)).toBeLessThanOrEqual(Date.parse(manifest.exportedAt));
    expect(manifest.exportedBy.id).toBe(users.secretary);
    expect(manifest.missing).toEqual([]);
    expect(manifest.hub.roomId).toMatch(/^[0-9a-f]{32}$/);

    // Each listed file is there with its size and sha256; the package holds nothing unlisted.
    const files = byName(entries);
    for (const f of manifest.files) {
      const e = files.get(f.path);
      expect(e, f.path).toBeDefined();
      expect(e!.bytes.length, f.path).toBe(f.size);
      expect(sha(e!.bytes), f.path).toBe(f.sha256);
    }
    expect(names.sort()).toEqual([...manifest.files.map((f) => f.path), MANIFEST_PATH, SIGNATURE_PATH].sort());
    for (const kind of ['meeting', 'agenda', 'attendance', 'polls', 'record', 'audit', 'paper']) expect(manifest.files.some((f) => f.kind === kind), kind).toBe(true);

    // Signed with the key the hub publishes (the same one that signs vote results).
    const key = await call<{ publicKey: string; fingerprint: string }>('delegate1', 'GET', '/api/hub/key');
    expect(key.status).toBe(200);
    expect(manifest.hub.publicKey).toBe(key.body.publicKey);
    expect(manifest.hub.keyFingerprint).toBe(key.body.fingerprint);
    expect((await call<{ verification: { hubKey: string } }>('delegate1', 'GET', `/api/polls/${namedPoll}`)).body.verification.hubKey).toBe(key.body.publicKey);
    const sig = JSON.parse(files.get(SIGNATURE_PATH)!.bytes.toString()) as { signature: string };
    const pub = crypto.createPublicKey({ key: Buffer.from(key.body.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(crypto.verify(null, files.get(MANIFEST_PATH)!.bytes, pub, Buffer.from(sig.signature, 'base64'))).toBe(true);

    // A second, independent reader agrees, where one is installed.
    if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0) {
      const file = path.join(tempDir('chamber-archive-'), 'package.zip');
      fs.writeFileSync(file, zip);
      const t = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
      expect(t.status, t.stdout + t.stderr).toBe(0);
    }

    // The export is audited once the last byte is written, with the manifest's digest.
    await waitFor(() => db.prepare("SELECT 1 FROM audit WHERE action = 'meeting-exported' AND target = ? AND json_extract(detail, '$.final') = 1").get(meetingId) !== undefined, 10_000, 'the export\'s audit row');
    expect(exports()).toBe(before + 1);
    const row = db.prepare("SELECT user_id, detail FROM audit WHERE action = 'meeting-exported' AND target = ? ORDER BY id DESC LIMIT 1").get(meetingId) as { user_id: string; detail: string };
    expect(row.user_id).toBe(users.secretary);
    expect(JSON.parse(row.detail).manifestSha256).toBe(sha(files.get(MANIFEST_PATH)!.bytes));
  });

  it('holds every version of every paper, restricted ones too, byte for byte as uploaded', async () => {
    const manifest = manifestOf(entries);
    const files = byName(entries);
    const papers = await call<Array<{ id: string; title: string; restricted: boolean; versions: Array<{ version: number; sha256: string }> }>>('secretary', 'GET', `/api/meetings/${meetingId}/papers`);
    expect(manifest.papers.map((p) => p.id).sort()).toEqual(papers.body.map((p) => p.id).sort());
    for (const p of papers.body) {
      const listed = manifest.papers.find((x) => x.id === p.id)!;
      expect(listed.title).toBe(p.title);
      expect(listed.restricted).toBe(p.restricted);
      expect(listed.versions.map((v) => [v.version, v.sha256])).toEqual(p.versions.map((v) => [v.version, v.sha256]));
      for (const v of listed.versions) {
        const bytes = files.get(v.path)!.bytes;
        const served = Buffer.from(await (await fetch(`${hub.url}/api/blobs/${v.sha256}`, { headers: { authorization: `Bearer ${tokens.secretary}` } })).arrayBuffer());
        expect(bytes.equals(served), v.path).toBe(true);
      }
    }
    // The three uploaded here: two versions of the report and the restricted file.
    const versions = manifest.papers.flatMap((p) => p.versions);
    for (const [digest, pdf] of uploaded) expect(files.get(versions.find((v) => v.sha256 === digest)!.path)!.bytes.equals(pdf)).toBe(true);
    expect(manifest.papers.find((p) => p.title === 'Báo cáo tài chính')!.versions).toHaveLength(2);
    expect(manifest.papers.find((p) => p.title === 'Hồ sơ nhân sự')).toMatchObject({ restricted: true, restrictTo: [users.delegate1] });
    expect(manifest.papers.find((p) => p.title === 'Hồ sơ nhân sự')!.versions[0]!.path).toMatch(/^papers\/Ho-so-nhan-su--[a-z0-9]+\/v1-[A-Za-z0-9-]+\.pdf$/);
  });

  it('holds attendance with reasons and times, published votes, the record, the agenda and the audit extract', () => {
    const attendance = jsonOf<{ members: Array<{ userId: string; status: string; reason: string | null; firstInAt: string | null }>; changes: unknown[] }>(entries, 'attendance/attendance.json');
    expect(attendance.members.find((m) => m.userId === users.delegate3)).toMatchObject({ status: 'absent_excused', reason: 'Đi công tác, "Hà Nội"' });
    expect(Date.parse(attendance.members.find((m) => m.userId === users.delegate1)!.firstInAt!)).toBeGreaterThan(0);
    expect(attendance.changes.length).toBeGreaterThanOrEqual(4);
    const csv = byName(entries).get('attendance/attendance.csv')!.bytes.toString('utf8');
    expect(csv.startsWith('\ufeffuser_id,name,role,status,reason,')).toBe(true);
    expect(csv).toContain(`${users.delegate3},Đặng Quốc Việt,delegate,absent_excused,"Đi công tác, ""Hà Nội""",`);

    const votes = jsonOf<{ polls: Array<Record<string, unknown> & { id: string; result: { yes: number; no: number; abstain: number } }>; unpublished: number }>(entries, 'votes/polls.json');
    expect(votes.polls.map((p) => p.id).sort()).toEqual([namedPoll, secretPoll].sort());
    expect(votes.unpublished).toBe(1);
    const named = votes.polls.find((p) => p.id === namedPoll)!;
    expect(named.result).toMatchObject({ yes: 2, no: 1, abstain: 0 });
    expect((named.ballots as Array<{ userId: string; value: string }>).map((b) => [b.userId, b.value]).sort()).toEqual([[users.chair, 'yes'], [users.delegate1, 'yes'], [users.delegate2, 'no']].sort());
    const secret = votes.polls.find((p) => p.id === secretPoll)!;
    expect(secret.result).toMatchObject({ yes: 1, no: 1, abstain: 1 });
    expect(secret.trackers).toEqual([...secretTrackers].sort());
    expect(typeof secret.signature).toBe('string');

    const record = jsonOf<{ decisions: Array<{ text: string; pollId: string }> }>(entries, 'record/record.json');
    expect(record.decisions).toEqual([expect.objectContaining({ text: 'Thông qua dự toán ngân sách 2027', pollId: namedPoll })]);
    const agenda = jsonOf<{ items: Array<{ id: string }>; details: { status: string } }>(entries, 'agenda.json');
    expect(agenda.items.map((i) => i.id)).toEqual(['item-opening', 'item-budget', 'item-digital', 'item-other']);
    expect(agenda.details.status).toBe('closed');

    const audit = jsonOf<{ rows: Array<{ action: string; target: string | null; userId: string | null }> }>(entries, 'audit/audit.json').rows;
    const actions = new Set(audit.map((r) => r.action));
    for (const a of ['meeting-closed', 'paper-uploaded', 'poll.create', 'poll.publish', 'attendance-set', 'decision.create']) expect(actions.has(a), a).toBe(true);
    expect(actions.has('sign-in')).toBe(false);
    expect(audit.filter((r) => r.action === 'poll.ballot' && r.target === namedPoll)).toHaveLength(3);
  });

  it('keeps a secret vote secret: no file links a voter to a ballot, a tracker or a time of voting', () => {
    const audit = jsonOf<{ rows: Array<{ action: string; target: string | null }> }>(entries, 'audit/audit.json').rows;
    expect(audit.filter((r) => r.target === secretPoll).map((r) => r.action).sort()).toEqual(['poll.create', 'poll.publish', 'poll.start', 'poll.stop']);
    const secret = jsonOf<{ polls: Array<Record<string, unknown>> }>(entries, 'votes/polls.json').polls.find((p) => p.id === secretPoll)!;
    expect(secret).not.toHaveProperty('ballots');
    const text = entries.filter((e) => !e.name.endsWith('.pdf')).map((e) => e.bytes.toString('utf8')).join('\n');
    // Each tracker appears once in the whole package: on the published tracker board.
    for (const t of secretTrackers) expect(text.split(t).length - 1, t).toBe(1);
    // The ciphertexts and the ballots the hub held for it appear nowhere.
    for (const table of ['poll_ciphertexts', 'poll_ballots']) {
      const rows = db.prepare(`SELECT * FROM ${table} WHERE poll_id = ?`).all(secretPoll);
      expect(rows, table).toEqual([]);
    }
  });

  it('is checked by `npm run archive -- verify`, which names each changed, missing or extra file', async () => {
    const dir = tempDir('chamber-archive-');
    const file = path.join(dir, 'package.zip');
    fs.writeFileSync(file, zip);
    const manifest = manifestOf(entries);
    const key = manifest.hub.keyFingerprint;

    const good = await archiveCli(['verify', file, '--key', key]);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain(`OK: all ${manifest.files.length} files match the signed manifest`);
    expect(good.out).toContain('(the key given)');
    const selfKeyed = await archiveCli(['verify', file]);
    expect(selfKeyed.code).toBe(0);
    expect(selfKeyed.out).toContain('pass --key');

    // Another key: the package was not signed by the hub the archivist knows.
    const other = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const wrong = await archiveCli(['verify', file, '--key', other]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('WRONG KEY');

    // One byte of a paper flipped inside the ZIP.
    const paper = manifest.papers.find((p) => p.title === 'Hồ sơ nhân sự')!.versions[0]!.path;
    const flipped = Buffer.from(zip);
    const at = entries.find((e) => e.name === paper)!.dataOffset + 200;
    flipped[at] = flipped[at]! ^ 0x01;
    const flippedFile = path.join(dir, 'flipped.zip');
    fs.writeFileSync(flippedFile, flipped);
    const changed = await archiveCli(['verify', flippedFile, '--key', key]);
    expect(changed.code).toBe(1);
    expect(changed.out).toContain(`CHANGED ${paper}: sha256 `);
    const asJson = await archiveCli(['verify', flippedFile, '--key', key, '--json']);
    expect((JSON.parse(asJson.out) as { problems: Array<{ path: string; kind: string }> }).problems).toEqual([expect.objectContaining({ path: paper, kind: 'changed' })]);

    // Unpacked into a folder: verified there too, then a file removed, one added, the manifest edited.
    const folder = path.join(dir, 'unpacked');
    extractTo(entries, folder);
    expect((await archiveCli(['verify', folder, '--key', key])).code).toBe(0);
    const attendanceCsv = path.join(folder, 'attendance', 'attendance.csv');
    const kept = fs.readFileSync(attendanceCsv);
    fs.rmSync(attendanceCsv);
    const missing = await archiveCli(['verify', folder, '--key', key]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('MISSING attendance/attendance.csv');
    fs.writeFileSync(attendanceCsv, kept);
    fs.writeFileSync(path.join(folder, 'papers', 'extra.pdf'), await smallPdf('Slipped in later'));
    const extra = await archiveCli(['verify', folder, '--key', key]);
    expect(extra.code).toBe(1);
    expect(extra.out).toContain('EXTRA papers/extra.pdf');
    fs.rmSync(path.join(folder, 'papers', 'extra.pdf'));
    const manifestFile = path.join(folder, MANIFEST_PATH);
    fs.writeFileSync(manifestFile, fs.readFileSync(manifestFile, 'utf8').replace('"final": true', '"final": false'));
    const edited = await archiveCli(['verify', folder, '--key', key]);
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('signature: INVALID');

    const usage = await archiveCli(['check', file]);
    expect(usage.code).toBe(2);
  });

  it('refuses to export a paper whose stored bytes no longer match, before a byte is sent', async () => {
    const manifest = manifestOf(entries);
    const victim = manifest.papers.find((p) => p.title === 'Báo cáo tài chính')!.versions[1]!;
    const row = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 0').get(victim.sha256) as { data: Buffer };
    const damaged = Buffer.from(row.data);
    damaged[100] = damaged[100]! ^ 0xff;
    db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 0').run(damaged, victim.sha256);
    try {
      const res = await download(exportUrl(), tokens.admin!);
      expect(res.status).toBe(500);
      const body = JSON.parse(res.body.toString()) as { error: string; message: string };
      expect(body.error).toBe('paper_damaged');
      expect(body.message).toContain(victim.path);
    } finally {
      db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 0').run(row.data, victim.sha256);
    }
    expect((await download(exportUrl(), tokens.admin!)).status).toBe(200);
  });
});
