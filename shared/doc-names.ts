// Document names are part of the wire contract (`/sync/<name>`): parse them strictly, so a
// name can never smuggle a path or address a document the permission table does not know.
import { ID_PATTERN } from './ids.ts';

export type DocName =
  | { kind: 'meeting'; meetingId: string }
  /** The meeting's procedures as the hub decided them (shared/live-doc.ts): only the hub writes it. */
  | { kind: 'live'; meetingId: string }
  | { kind: 'notes'; meetingId: string; userId: string };

export function parseDocName(name: string): DocName | null {
  const parts = name.split('/');
  if ((parts[0] === 'meeting' || parts[0] === 'live') && parts.length === 2 && ID_PATTERN.test(parts[1] ?? '')) {
    return { kind: parts[0], meetingId: parts[1] as string };
  }
  if (parts[0] === 'notes' && parts.length === 3 && ID_PATTERN.test(parts[1] ?? '') && ID_PATTERN.test(parts[2] ?? '')) {
    return { kind: 'notes', meetingId: parts[1] as string, userId: parts[2] as string };
  }
  return null;
}

export function formatDocName(doc: DocName): string {
  return doc.kind === 'notes' ? `notes/${doc.meetingId}/${doc.userId}` : `${doc.kind}/${doc.meetingId}`;
}

export const meetingDocName = (meetingId: string): string => `meeting/${meetingId}`;
export const liveDocName = (meetingId: string): string => `live/${meetingId}`;
export const notesDocName = (meetingId: string, userId: string): string => `notes/${meetingId}/${userId}`;
