// The audit trail's verifier (docs/audit.md): recomputes every entry's hash and link, checks
// every checkpoint's signature against the hub's key, and says what is wrong and where. It reads
// only (electron/hub/audit/sources.ts opens a data folder, a hub.sqlite or an inspector's export)
// and never repairs: a damaged trail is evidence, to be kept as it is.
import crypto from 'node:crypto';
import { GENESIS, checkpointText, entryHash, signatureDigest, type ChainedEntry, type Checkpoint } from './chain.ts';
import { keyFingerprint } from '../archive/signing.ts';

export type ProblemKind = 'edited' | 'removed' | 'inserted' | 'reordered' | 'chain-break' | 'checkpoint' | 'malformed' | 'key';

export interface AuditProblem {
  kind: ProblemKind;
  /** `entry 1234`, `entries 10–20`, `checkpoint 3`, `line 7`. */
  where: string;
  detail: string;
}

export interface AuditSource {
  /** In id order. */
  entries: Iterable<ChainedEntry>;
  checkpoints: Checkpoint[];
  /** The key the source itself names (the data folder's, the export's), SPKI DER base64. */
  publicKey: string | null;
  keySource: 'data folder' | 'export' | 'none';
  /** The database's id counter for the trail (sqlite_sequence): ids up to it were written. */
  counter?: number | null;
  /** Problems found while reading (lines of an export that are not entries). */
  problems?: AuditProblem[];
}

export interface AuditReport {
  ok: boolean;
  entries: number;
  firstId: number | null;
  lastId: number | null;
  checkpoints: number;
  lastCheckpoint: { id: number; lastId: number; at: string; reason: string } | null;
  /** Entries after the last checkpoint: a running hub always has some; not a failure by itself. */
  uncheckpointed: number;
  keyFingerprint: string;
  keySource: 'data folder' | 'export' | 'given';
  problems: AuditProblem[];
}

export class AuditVerifyError extends Error {
  override name = 'AuditVerifyError';
}

/** How far from its place an entry is looked for when its content does not match its hash. */
const DISPLACEMENT_WINDOW = 8;

const span = (a: number, b: number): string => (a === b ? `entry ${a}` : `entries ${a}–${b}`);
const short = (h: string | null): string => (h ? `${h.slice(0, 12)}…` : 'none');

/** The key to check signatures with: `given` (base64 SPKI, or a fingerprint the source's key must have). */
function chooseKey(src: AuditSource, given: string | undefined, problems: AuditProblem[]): { key: string; source: AuditReport['keySource'] } {
  const g = given?.trim();
  if (g && !/^[0-9a-fA-F]{64}$/.test(g)) {
    if (src.publicKey && src.publicKey !== g) {
      problems.push({ kind: 'key', where: 'key', detail: `the ${src.keySource}'s key (${keyFingerprint(src.publicKey)}) is not the key given: checking with the key given` });
    }
    return { key: g, source: 'given' };
  }
  if (!src.publicKey) throw new AuditVerifyError('no hub key: pass --key (GET /api/hub/key gives it)');
  if (g && keyFingerprint(src.publicKey) !== g.toLowerCase()) {
    problems.push({ kind: 'key', where: 'key', detail: `the ${src.keySource}'s key has fingerprint ${keyFingerprint(src.publicKey)}, not the ${g.toLowerCase()} given` });
  }
  return { key: src.publicKey, source: src.keySource === 'export' ? 'export' : 'data folder' };
}

function signatureValid(key: crypto.KeyObject, cp: Checkpoint): boolean {
  try {
    return crypto.verify(null, Buffer.from(checkpointText(cp)), key, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

interface Displaced { at: number; wrote: number }

/** Entries found under another id than they were written with: swaps and moves, or whole runs shifted by an insertion or removal. */
function explainDisplaced(displaced: Displaced[], problems: AuditProblem[]): void {
  const byAt = new Map(displaced.map((d) => [d.at, d]));
  const done = new Set<number>();
  for (const d of displaced) {
    if (done.has(d.at)) continue;
    // A closed cycle (10 holds 11's entry, 11 holds 10's) is a reordering.
    const cycle = [d.at];
    let next = byAt.get(d.wrote);
    while (next && next.at !== d.at && cycle.length <= DISPLACEMENT_WINDOW * 2) {
      cycle.push(next.at);
      next = byAt.get(next.wrote);
    }
    if (next?.at === d.at) {
      for (const at of cycle) done.add(at);
      const ids = cycle.sort((a, b) => a - b);
      problems.push({ kind: 'reordered', where: `entries ${ids.join(', ')}`, detail: `entries ${ids.join(', ')} are not in the order they were written (each is stored under another one's id)` });
    }
  }
  const rest = displaced.filter((d) => !done.has(d.at)).sort((a, b) => a.at - b.at);
  for (let i = 0; i < rest.length;) {
    const off = rest[i]!.at - rest[i]!.wrote;
    let j = i;
    while (j + 1 < rest.length && rest[j + 1]!.at === rest[j]!.at + 1 && rest[j + 1]!.at - rest[j + 1]!.wrote === off) j++;
    const from = rest[i]!.at;
    const to = rest[j]!.at;
    if (off > 0) {
      problems.push({ kind: 'inserted', where: span(from - off, from - 1), detail: `${off === 1 ? 'an entry was' : `${off} entries were`} inserted before entry ${from}: ${span(from, to)} ${from === to ? 'is' : 'are'} stored ${off} place(s) later than written` });
    } else {
      problems.push({ kind: 'removed', where: span(from, to), detail: `${-off} entr${off === -1 ? 'y was' : 'ies were'} removed before entry ${from - off} and the ids after renumbered: ${span(from, to)} ${from === to ? 'was' : 'were'} written as ${span(from - off, to - off)}` });
    }
    i = j + 1;
  }
}

export function verifyChain(src: AuditSource, opts: { key?: string } = {}): AuditReport {
  const problems: AuditProblem[] = [...(src.problems ?? [])];
  const { key, source } = chooseKey(src, opts.key, problems);
  let keyObject: crypto.KeyObject;
  try {
    keyObject = crypto.createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new AuditVerifyError('the key is not an Ed25519 public key (SPKI DER in base64, as GET /api/hub/key gives it)');
  }
  const checkpoints = [...src.checkpoints].sort((a, b) => a.id - b.id);
  // What each checkpoint needs from the stream: the entry it seals and how many entries lie up to it.
  const sealed = [...new Set(checkpoints.map((c) => c.last_id))].sort((a, b) => a - b);
  const atSeal = new Map<number, { computed: string | null; count: number }>();
  let nextSeal = 0;

  const displaced: Displaced[] = [];
  const seen = new Map<string, number>();
  let prev: { id: number; hash: string | null; suspect: boolean } | null = null;
  let n = 0;
  let firstId: number | null = null;
  for (const e of src.entries) {
    while (nextSeal < sealed.length && sealed[nextSeal]! < e.id) atSeal.set(sealed[nextSeal++]!, { computed: null, count: n });
    n++;
    firstId ??= e.id;
    const computed = entryHash(e);
    let suspect = false;
    if (computed !== e.hash) {
      suspect = true;
      let wrote: number | null = null;
      for (let d = 1; d <= DISPLACEMENT_WINDOW && wrote === null; d++) {
        for (const j of [e.id - d, e.id + d]) if (j >= 1 && entryHash(e, j) === e.hash) wrote = j;
      }
      if (wrote !== null) displaced.push({ at: e.id, wrote });
      else problems.push({ kind: 'edited', where: `entry ${e.id}`, detail: `entry ${e.id}'s content does not match its hash` });
    } else if (!prev?.suspect) {
      const expected = prev?.hash ?? GENESIS;
      const missingFrom = (prev?.id ?? 0) + 1;
      if (e.id > missingFrom) {
        problems.push({
          kind: 'removed', where: span(missingFrom, e.id - 1),
          detail: `${span(missingFrom, e.id - 1)} ${e.id - 1 === missingFrom ? 'is' : 'are'} missing${e.prev_hash === expected ? ` (entry ${e.id} was written after ${prev ? `entry ${prev.id}` : 'the start'}, once they were gone)` : ''}`,
        });
      } else if (e.prev_hash !== expected) {
        const k = e.prev_hash ? seen.get(e.prev_hash) : undefined;
        if (k !== undefined && k < (prev?.id ?? 0)) {
          problems.push({ kind: 'inserted', where: span(k + 1, prev!.id), detail: `entry ${e.id} was written right after entry ${k}: ${span(k + 1, prev!.id)} ${k + 1 === prev!.id ? 'was' : 'were'} inserted` });
        } else {
          problems.push({ kind: 'chain-break', where: `entries ${prev?.id ?? 0}–${e.id}`, detail: `entry ${e.id} was not written after ${prev ? `entry ${prev.id} as it is now: entry ${prev.id} was replaced (its hash recomputed)` : 'the start: entries before it were removed'}` });
        }
      }
    }
    if (sealed[nextSeal] === e.id) atSeal.set(sealed[nextSeal++]!, { computed, count: n });
    if (e.hash) seen.set(e.hash, e.id);
    prev = { id: e.id, hash: e.hash, suspect };
  }
  while (nextSeal < sealed.length) atSeal.set(sealed[nextSeal++]!, { computed: null, count: n });
  const lastId = prev?.id ?? 0;
  if (src.counter && src.counter > lastId) {
    problems.push({ kind: 'removed', where: span(lastId + 1, src.counter), detail: `${span(lastId + 1, src.counter)} ${lastId + 1 === src.counter ? 'is' : 'are'} missing: the table's id counter shows ${lastId + 1 === src.counter ? 'it was' : 'they were'} written (the end of the trail was cut off)` });
  }
  explainDisplaced(displaced, problems);

  let prevCp: Checkpoint | null = null;
  let lastGood: Checkpoint | null = null;
  for (const cp of checkpoints) {
    const where = `checkpoint ${cp.id}`;
    const expectedId = (prevCp?.id ?? 0) + 1;
    if (cp.id !== expectedId) {
      problems.push({ kind: 'checkpoint', where: cp.id - 1 === expectedId ? `checkpoint ${expectedId}` : `checkpoints ${expectedId}–${cp.id - 1}`, detail: 'missing: removed from the table' });
    } else if (cp.prev !== (prevCp ? signatureDigest(prevCp.signature) : GENESIS)) {
      problems.push({ kind: 'checkpoint', where, detail: `does not follow ${prevCp ? `checkpoint ${prevCp.id}` : 'the start'} as signed: a checkpoint before it was replaced` });
    }
    const sigOk = signatureValid(keyObject, cp);
    if (!sigOk) problems.push({ kind: 'checkpoint', where, detail: `${where}'s content does not match its signature: it was edited, or not signed with this hub's key` });
    if (prevCp && cp.last_id < prevCp.last_id) problems.push({ kind: 'checkpoint', where, detail: `seals entry ${cp.last_id}, before checkpoint ${prevCp.id}'s entry ${prevCp.last_id}` });
    const seen2 = atSeal.get(cp.last_id)!;
    const since = lastGood ? ` between checkpoint ${lastGood.id} (entry ${lastGood.last_id}) and entry ${cp.last_id}` : ` up to entry ${cp.last_id}`;
    let good = sigOk;
    if (seen2.computed === null) {
      good = false;
      problems.push({ kind: 'checkpoint', where, detail: `sealed entry ${cp.last_id}, which is missing: the trail was truncated or entries removed${since}` });
    } else if (seen2.computed !== cp.last_hash) {
      good = false;
      problems.push({ kind: 'checkpoint', where, detail: `sealed entry ${cp.last_id} with hash ${short(cp.last_hash)}, which now hashes to ${short(seen2.computed)}: the trail was rewritten${since}` });
    }
    if (seen2.count !== cp.count) {
      good = false;
      problems.push({ kind: 'checkpoint', where, detail: `counted ${cp.count} entries up to entry ${cp.last_id}; there are now ${seen2.count}` });
    }
    if (good) lastGood = cp;
    prevCp = cp;
  }
  const last = checkpoints.at(-1) ?? null;
  const sealedUpTo = checkpoints.reduce((m, c) => Math.max(m, c.last_id), 0);
  // Counted from the stream's end: every entry past the highest sealed id.
  const uncheckpointed = Math.max(0, n - (atSeal.get(sealedUpTo)?.count ?? 0));
  return {
    ok: problems.length === 0,
    entries: n, firstId, lastId: prev?.id ?? null,
    checkpoints: checkpoints.length,
    lastCheckpoint: last ? { id: last.id, lastId: last.last_id, at: new Date(last.at).toISOString(), reason: last.reason } : null,
    uncheckpointed,
    keyFingerprint: keyFingerprint(key), keySource: source,
    problems,
  };
}
