// Checks a decoded Yjs update before it touches a document. Yjs walks nested types recursively
// (deleting or garbage-collecting a type visits its children), so a 24 KB update holding a
// 2,000-deep chain of maps, followed by the deletion of its top, overflowed the stack inside
// `applyUpdate` and left the document unusable for everyone. Nothing in Chamber nests deeper
// than 2 (papers → paper → versions), so a small limit refuses such structures up front.
//
// The depth of a new item is the depth of the type it is inserted into. Yjs names that type in
// one of three ways (see `lazyStructReaderGenerator` and `Item.integrate` in yjs): a root name
// (depth 0), the id of the item that holds the parent type, or nothing, in which case the item
// takes the parent of its left neighbour (`origin`), else of its right one (`rightOrigin`). Those
// ids are looked up in the update itself or in the document it is about to join, so a deep chain
// cannot be smuggled in piece by piece either. Everything is resolved without recursion: the
// guard must not overflow the stack on the very input it exists to refuse.
import * as Y from 'yjs';

export interface GuardLimits {
  /** Deepest nested shared type (a root type is 0; a map inside it is 1). */
  maxTypeDepth: number;
  /** Deepest JSON value (objects and arrays) inside an item's content. */
  maxValueDepth: number;
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

type Struct = Y.Item | Y.GC | Y.Skip;
/** A shared type as Yjs types the document's own (`doc.share`). */
type SharedType = Y.Doc['share'] extends Map<string, infer T> ? T : never;
type IdLike = { client: number; clock: number };
/** A struct found in the update, or a type depth already known from the document. */
type Found = { struct: Struct } | { depth: number } | null;

const UNKNOWN = -1;

/** Structs of one update (plus the document's pending ones), findable by any clock they cover. */
class UpdateIndex {
  private readonly byClient = new Map<number, Struct[]>();

  constructor(structs: Struct[]) {
    for (const s of structs) {
      let list = this.byClient.get(s.id.client);
      if (!list) this.byClient.set(s.id.client, (list = []));
      list.push(s);
    }
    for (const list of this.byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  find(id: IdLike): Struct | null {
    const list = this.byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  }
}

/** How deep `type` sits in the document: hops from it to a root type (capped). */
function typeDepthInDoc(type: SharedType | null, cap: number): number {
  let depth = 0;
  let t = type;
  while (t && t._item) {
    depth++;
    if (depth > cap) return depth;
    const parent: unknown = t._item.parent;
    t = parent instanceof Y.AbstractType ? parent : null;
  }
  return depth;
}

function findInDoc(doc: Y.Doc | null, id: IdLike): Y.Item | Y.GC | null {
  if (!doc || id.clock >= Y.getState(doc.store, id.client)) return null;
  const structs = doc.store.clients.get(id.client);
  if (!structs) return null;
  try {
    return structs[Y.findIndexSS(structs, id.clock)] ?? null;
  } catch {
    return null;
  }
}

const isId = (v: unknown): v is IdLike => v instanceof Y.ID;

/**
 * Depth of every JSON value reachable from `values`, without recursion; stops counting once the
 * limit is passed. Arrays of numbers (ink points) are the bulk of a notes document, so children
 * are scanned in a plain loop and only objects are stacked.
 */
function valueTooDeep(values: unknown[], max: number): boolean {
  const stack: unknown[] = [];
  const depths: number[] = [];
  for (const v of values) {
    if (v !== null && typeof v === 'object') {
      stack.push(v);
      depths.push(1);
    }
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (v instanceof Uint8Array) continue;
    if (d > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (let i = 0; i < children.length; i++) {
      const c: unknown = children[i];
      if (c !== null && typeof c === 'object') {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

function contentValues(item: Y.Item): unknown[] | null {
  const c: unknown = item.content;
  if (c instanceof Y.ContentAny || c instanceof Y.ContentJSON) return c.arr as unknown[];
  if (c instanceof Y.ContentEmbed) return [c.embed];
  if (c instanceof Y.ContentFormat) return [c.value];
  return null;
}

/**
 * Refuses an update that would nest shared types deeper than `limits.maxTypeDepth`, or carry
 * JSON values deeper than `limits.maxValueDepth`. `doc` is the document it is about to be applied
 * to (null: a fresh document); its pending structs, which a later update may complete, are
 * checked together with the new ones.
 */
export function checkUpdate(structs: Struct[], doc: Y.Doc | null, limits: GuardLimits): GuardVerdict {
  const pending = doc?.store.pendingStructs;
  const all = pending ? structs.concat(Y.decodeUpdateV2(pending.update).structs as Struct[]) : structs;
  const index = new UpdateIndex(all);
  const cap = limits.maxTypeDepth + 1;
  /** Depth of the type each item lives in; UNKNOWN while its parent is not known yet. */
  const memo = new Map<Struct, number>();

  // Where an item's parent type comes from: a known depth, or another struct of the update
  // (whose own parent depth, plus `add`, is the answer).
  const direct = (item: Y.Item): { depth: number } | { dep: Struct; add: 0 | 1 } => {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return { depth: 0 };
    if (isId(parent)) {
      const found = locate(parent);
      if (found === null) return { depth: UNKNOWN };
      if ('depth' in found) return found;
      return found.struct instanceof Y.Item && found.struct.content instanceof Y.ContentType ? { dep: found.struct, add: 1 } : { depth: 0 };
    }
    if (parent instanceof Y.AbstractType) return { depth: typeDepthInDoc(parent, cap) };
    // No parent given: Yjs takes the left neighbour's parent, else the right one's.
    for (const side of [item.origin, item.rightOrigin]) {
      if (!side) continue;
      const found = locateNeighbour(side);
      if (found === null) return { depth: UNKNOWN };
      if ('depth' in found) {
        if (found.depth === UNKNOWN) continue;
        return found;
      }
      if (found.struct instanceof Y.Item) return { dep: found.struct, add: 0 };
    }
    return { depth: 0 };
  };

  // The type held by the item with this id (a parent reference).
  const locate = (id: IdLike): Found => {
    const s = index.find(id);
    if (s) return { struct: s };
    const d = findInDoc(doc, id);
    if (!d) return null;
    if (d instanceof Y.Item && d.content instanceof Y.ContentType) return { depth: typeDepthInDoc(d.content.type, cap) };
    return { depth: 0 };
  };

  // The type a neighbour lives in. A garbage-collected neighbour gives none (UNKNOWN here means
  // "try the other side"), as in Yjs.
  const locateNeighbour = (id: IdLike): Found => {
    const s = index.find(id);
    if (s) return s instanceof Y.Item ? { struct: s } : { depth: UNKNOWN };
    const d = findInDoc(doc, id);
    if (!d) return null;
    if (d instanceof Y.Item) {
      const parent: unknown = d.parent;
      return { depth: parent instanceof Y.AbstractType ? typeDepthInDoc(parent, cap) : 0 };
    }
    return { depth: UNKNOWN };
  };

  const resolve = (start: Y.Item): number => {
    const stack: Struct[] = [start];
    const onStack = new Set<Struct>([start]);
    while (stack.length > 0) {
      const cur = stack[stack.length - 1]!;
      if (memo.has(cur)) {
        stack.pop();
        onStack.delete(cur);
        continue;
      }
      const r = cur instanceof Y.Item ? direct(cur) : { depth: 0 };
      let value: number;
      if ('depth' in r) value = r.depth;
      else if (memo.has(r.dep)) {
        const d = memo.get(r.dep)!;
        value = d === UNKNOWN ? UNKNOWN : d + r.add;
      } else if (onStack.has(r.dep)) {
        // A reference cycle: Yjs cannot place these items either.
        value = 0;
      } else {
        stack.push(r.dep);
        onStack.add(r.dep);
        continue;
      }
      memo.set(cur, value);
      stack.pop();
      onStack.delete(cur);
    }
    return memo.get(start)!;
  };

  for (const s of all) {
    if (!(s instanceof Y.Item)) continue;
    const depth = resolve(s);
    if (s.content instanceof Y.ContentType && depth !== UNKNOWN && depth + 1 > limits.maxTypeDepth) {
      return { ok: false, reason: `shared types nested deeper than ${limits.maxTypeDepth} levels` };
    }
    const values = contentValues(s);
    if (values && valueTooDeep(values, limits.maxValueDepth)) {
      return { ok: false, reason: `values nested deeper than ${limits.maxValueDepth} levels` };
    }
  }
  return { ok: true };
}

/** Deepest shared type in a loaded document (for checking what a store held). */
export function deepestType(doc: Y.Doc, cap: number): number {
  let max = 0;
  const stack: Array<[SharedType, number]> = [...doc.share.values()].map((t) => [t, 0]);
  while (stack.length > 0) {
    const [type, depth] = stack.pop()!;
    max = Math.max(max, depth);
    if (max > cap) return max;
    for (let item = type._start; item; item = item.right) if (!item.deleted && item.content instanceof Y.ContentType) stack.push([item.content.type, depth + 1]);
    for (const item of type._map.values()) if (!item.deleted && item.content instanceof Y.ContentType) stack.push([item.content.type, depth + 1]);
  }
  return max;
}
