// The reader's annotations, live: the notes document's `annotations` map read whole while the
// panel is open (a new stroke on any device re-renders the list), and what the list says about
// each one — its kind's icon and label, its colour's name, a short description.
import type * as Y from 'yjs';
import { readAnnotations, type Annotation } from '../../shared/notes-doc.ts';
import { DEFAULT_LEVEL_ID, resolveLevel, type ClassificationLevel } from '../../shared/classification.ts';
import type { MeetingPaper } from '../api.ts';
import type { MessageKey, Translate } from '../i18n/index.tsx';
import type { IconName } from '../ui/icons.tsx';
import { useYMap } from '../sync/hooks.ts';

const NONE: Annotation[] = [];
const readAll = (doc: Y.Doc): Annotation[] => readAnnotations(doc);
/** Same ids, each unchanged: JSON equality over a few thousand small values is cheap next to a render. */
const sameList = (a: Annotation[], b: Annotation[]) => a === b || (a.length === b.length && JSON.stringify(a) === JSON.stringify(b));

/** All of the reader's annotations in this meeting, oldest first; re-read when any changes. */
export function useMyAnnotations(doc: Y.Doc | null): Annotation[] {
  return useYMap(doc, 'annotations', readAll, NONE, sameList);
}

type Kind = 'pen' | 'highlighter' | 'highlight' | 'note' | 'bookmark';
export const kindOf = (a: Annotation): Kind => (a.kind === 'ink' ? a.tool : a.kind);

export const KIND_ICON: Record<Kind, IconName> = { pen: 'pen', highlighter: 'highlighter', highlight: 'highlighter', note: 'note', bookmark: 'bookmark' };
export const KIND_LABEL: Record<Kind, MessageKey> = {
  pen: 'notes.kind.pen', highlighter: 'notes.kind.highlighter', highlight: 'notes.kind.highlight', note: 'notes.kind.note', bookmark: 'notes.kind.bookmark',
};

// The viewer's swatches (annotations/geometry.ts) and the note's default, by name.
const COLOR_NAMES: Record<string, MessageKey> = {
  '#1f3a93': 'notes.color.blue', '#c0392b': 'notes.color.red', '#1e8449': 'notes.color.green', '#111111': 'notes.color.black',
  '#8e44ad': 'notes.color.purple', '#ffe066': 'notes.color.yellow', '#8ce99a': 'notes.color.lightGreen', '#74c0fc': 'notes.color.lightBlue',
  '#faa2c1': 'notes.color.pink', '#ffd43b': 'notes.color.yellow',
};
/** What the note marker and the tools fall back to when an annotation names no colour. */
const DEFAULT_NOTE_COLOR = '#ffd43b';

export function colorOf(a: Annotation): string | null {
  if (a.kind === 'bookmark') return null;
  return a.color ?? DEFAULT_NOTE_COLOR;
}

export function colorName(t: Translate, color: string): string {
  const key = COLOR_NAMES[color.toLowerCase()];
  return key ? t(key) : t('notes.color.other', { hex: color });
}

/** One line about the annotation: the note's or the highlight's text, else what it is. */
export function describe(t: Translate, a: Annotation): string {
  const clip = (s: string) => (s.length > 140 ? `${s.slice(0, 139).trimEnd()}…` : s);
  switch (a.kind) {
    case 'note': return a.text.trim() ? clip(a.text.trim()) : t('notes.emptyNote');
    case 'highlight': return a.text?.trim() ? `“${clip(a.text.trim())}”` : t('notes.highlighted');
    case 'bookmark': return a.label?.trim() ? clip(a.label.trim()) : t('notes.kind.bookmark');
    case 'ink': return t('notes.stroke');
  }
}

/** Whether the paper's level lets it be exported, read as the viewer reads it (a level named without its rules is held strictest). */
export function exportAllowed(p: Pick<MeetingPaper, 'level' | 'classification'>): boolean {
  const level: ClassificationLevel | null = p.classification ?? (!p.level || p.level === DEFAULT_LEVEL_ID ? null : resolveLevel([], p.level));
  return level ? level.exportAllowed : true;
}
