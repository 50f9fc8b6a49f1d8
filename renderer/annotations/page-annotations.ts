// One paper version's annotations, kept by page, with a subscription per page: a stroke on page 3
// gives page 3 a new list and tells page 3 alone, so only that page re-renders. (Reading the whole
// notes doc after every transaction built a new map each time, and every page on screen
// re-rendered for one stroke.) Plain class over a Y.Doc: unit-tested without a browser.
import type * as Y from 'yjs';
import { useCallback, useSyncExternalStore } from 'react';
import { annotationsMap, annotationSchema, type Annotation } from '../../shared/notes-doc.ts';

const NONE: readonly Annotation[] = Object.freeze([]);

const byTime = (a: Annotation, b: Annotation) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

export class PageAnnotations {
  private readonly doc: Y.Doc;
  private readonly paperId: string;
  private readonly sha256: string;
  /** Each page's annotations by id, and the sorted list handed out (replaced on change only). */
  private readonly pages = new Map<number, { byId: Map<string, Annotation>; list: readonly Annotation[] }>();
  /** Which page each annotation of this version is on (an edit may move nothing, but a delete must find it). */
  private readonly pageOf = new Map<string, number>();
  private readonly listeners = new Map<number, Set<() => void>>();
  private observer: ((e: Y.YMapEvent<unknown>) => void) | null = null;

  constructor(doc: Y.Doc, paperId: string, sha256: string) {
    this.doc = doc;
    this.paperId = paperId;
    this.sha256 = sha256;
    this.rebuild();
  }

  /** The page's annotations, oldest first; the same array until that page changes. */
  get(page: number): readonly Annotation[] {
    return this.pages.get(page)?.list ?? NONE;
  }

  subscribe(page: number, fn: () => void): () => void {
    let set = this.listeners.get(page);
    if (!set) this.listeners.set(page, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(page);
    };
  }

  /** Starts following the doc; returns the stop. Changes made before it are picked up by a fresh read. */
  start(): () => void {
    this.stop();
    const changed = this.rebuild();
    this.observer = (e) => this.notify(this.apply(e.keysChanged));
    annotationsMap(this.doc).observe(this.observer);
    this.notify(changed);
    return () => this.stop();
  }

  private stop(): void {
    if (this.observer) annotationsMap(this.doc).unobserve(this.observer);
    this.observer = null;
  }

  /** Reads every annotation of this version again; returns the pages whose list changed. */
  private rebuild(): Set<number> {
    return this.apply(new Set([...annotationsMap(this.doc).keys(), ...this.pageOf.keys()]));
  }

  /** Brings the named annotations up to date; returns the pages they left or joined. */
  private apply(ids: Iterable<string>): Set<number> {
    const map = annotationsMap(this.doc);
    const dirty = new Set<number>();
    for (const id of ids) {
      const was = this.pageOf.get(id);
      const parsed = annotationSchema.safeParse(map.get(id));
      const now = parsed.success && parsed.data.paperId === this.paperId && parsed.data.sha256 === this.sha256 ? parsed.data : null;
      if (was !== undefined && (now === null || now.page !== was)) {
        this.pages.get(was)?.byId.delete(id);
        this.pageOf.delete(id);
        dirty.add(was);
      }
      if (now) {
        let entry = this.pages.get(now.page);
        if (!entry) this.pages.set(now.page, (entry = { byId: new Map(), list: NONE }));
        // Another device may write the same value again: an unchanged annotation is no change.
        if (JSON.stringify(entry.byId.get(id)) !== JSON.stringify(now)) {
          entry.byId.set(id, now);
          dirty.add(now.page);
        }
        this.pageOf.set(id, now.page);
      }
    }
    for (const page of dirty) {
      const entry = this.pages.get(page);
      if (!entry || entry.byId.size === 0) this.pages.delete(page);
      else entry.list = Object.freeze([...entry.byId.values()].sort(byTime));
    }
    return dirty;
  }

  private notify(pages: Set<number>): void {
    for (const page of pages) for (const fn of [...(this.listeners.get(page) ?? [])]) fn();
  }
}

/** A page's annotations from the index, re-rendering this component only when that page changes. */
export function usePageAnnotations(index: PageAnnotations | null, page: number): readonly Annotation[] {
  const subscribe = useCallback((fn: () => void) => (index ? index.subscribe(page, fn) : () => {}), [index, page]);
  return useSyncExternalStore(subscribe, () => (index ? index.get(page) : NONE));
}
