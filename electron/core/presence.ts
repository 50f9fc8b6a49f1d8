// Presence (awareness) is authorised per connection: a connection may only speak for the client
// ids it owns. The first awareness message a connection sends claims the new ids in it (a
// provider announces its own doc's clientID); afterwards any other id is refused. An id held by
// another live connection can only be taken over by the same user (a tablet reconnecting before
// its old socket is found dead); anyone else's claim is refused. A read-only peer still has
// presence for its own id. Each state is capped in size, so one peer cannot make the hub relay
// megabytes to every other peer.
//
// y-websocket's provider sends back every awareness change it receives (its 'update' handler
// does not look at the origin), so most messages from a client hold other clients' entries at
// the clock the hub already has. Those echoes change nothing (y-protocols ignores them) and are
// let through silently; only an entry that would change someone else's presence is refused —
// including a removal (state null) at the current clock, which y-protocols would apply.
import * as decoding from 'lib0/decoding';

export interface PresenceEntry {
  clientId: number;
  clock: number;
  stateBytes: number;
  /** The state is `null` (the client leaves). */
  removal: boolean;
}

const NULL_JSON = [0x6e, 0x75, 0x6c, 0x6c];

/** The entries of an awareness update (without parsing the states); throws on a malformed one. */
export function readPresenceEntries(update: Uint8Array): PresenceEntry[] {
  const dec = decoding.createDecoder(update);
  const n = decoding.readVarUint(dec);
  const out: PresenceEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(dec);
    const clock = decoding.readVarUint(dec);
    // The state is a varString: a length-prefixed UTF-8 JSON text.
    const state = decoding.readVarUint8Array(dec);
    const removal = state.length === 4 && NULL_JSON.every((b, k) => state[k] === b);
    out.push({ clientId, clock, stateBytes: state.length, removal });
  }
  return out;
}

export interface PresenceOwner {
  /** Ids this connection owns. */
  owned: Set<number>;
  /** Set once the connection's first accepted awareness message has claimed its ids. */
  claimed: boolean;
  /** Who is on the other end (a user id); only the same identity may take over an id. */
  identity: string | null;
}

/**
 * The document's side: what its awareness holds for an id, and every connection's ownership.
 * One per document, so checking a message allocates nothing in the common case (in a room of
 * 200 the hub checks thousands of echoes a second; per-message closures there doubled the
 * young generation V8 kept).
 */
export interface PresenceScope {
  /** The clock the document's awareness has for an id (undefined: never seen). */
  clockOf(clientId: number): number | undefined;
  /** Whether that id currently has a state. */
  present(clientId: number): boolean;
  owners(): Iterable<PresenceOwner>;
}

export type PresenceVerdict =
  | { ok: true; claims: readonly number[]; takeOver: readonly PresenceOwner[]; /** Something is relayed to others. */ changes: boolean }
  | { ok: false; reason: string };

const NONE: readonly never[] = Object.freeze([]);
const ECHO: PresenceVerdict = Object.freeze({ ok: true, claims: NONE, takeOver: NONE, changes: false });
const OWN: PresenceVerdict = Object.freeze({ ok: true, claims: NONE, takeOver: NONE, changes: true });

export function checkPresence(
  entries: PresenceEntry[],
  me: PresenceOwner,
  scope: PresenceScope,
  limits: { maxPresenceBytes: number; maxPresenceIds: number },
): PresenceVerdict {
  let claims: number[] | null = null;
  let takeOver: PresenceOwner[] | null = null;
  let changes = false;
  for (const e of entries) {
    if (e.stateBytes > limits.maxPresenceBytes) return { ok: false, reason: `presence state over ${limits.maxPresenceBytes} bytes` };
    if (me.owned.has(e.clientId)) {
      changes = true;
      continue;
    }
    const clock = scope.clockOf(e.clientId);
    if (clock !== undefined && (e.clock < clock || (e.clock === clock && !(e.removal && scope.present(e.clientId))))) continue; // an echo
    if (me.claimed) return { ok: false, reason: `client id ${e.clientId} belongs to another connection` };
    claims ??= [];
    takeOver ??= [];
    for (const other of scope.owners()) {
      if (other === me || !other.owned.has(e.clientId)) continue;
      if (me.identity === null || other.identity !== me.identity) return { ok: false, reason: `client id ${e.clientId} belongs to another connection` };
      takeOver.push(other);
    }
    if (!claims.includes(e.clientId)) claims.push(e.clientId);
    changes = true;
  }
  if (!claims) return changes ? OWN : ECHO;
  if (me.owned.size + claims.length > limits.maxPresenceIds) return { ok: false, reason: `more than ${limits.maxPresenceIds} presence ids on one connection` };
  return { ok: true, claims, takeOver: takeOver!, changes };
}
