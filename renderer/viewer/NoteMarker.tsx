// A text note on a page: its marker at the note's page point, and while open its editor. An
// empty note is removed when the editor closes; the eraser removes a note by tapping its marker.
import { useEffect, useRef, useState } from 'react';
import type { Annotation } from '../../shared/notes-doc.ts';
import { pageToScreen, type PagePlacement } from '../annotations/geometry.ts';
import type { ToolName } from '../annotations/tools/index.ts';
import { useT } from '../i18n/index.tsx';

type Note = Annotation & { kind: 'note' };

export interface NoteMarkerProps {
  note: Note;
  placement: PagePlacement;
  open: boolean;
  tool: ToolName;
  onOpen: (id: string | null) => void;
  onErase: (id: string) => void;
  onText: (a: Note, text: string) => void;
}

export function NoteMarker({ note, placement, open, tool, onOpen, onErase, onText }: NoteMarkerProps) {
  const t = useT();
  const [left, top] = pageToScreen(note.x, note.y, placement);
  return (
    <div className="note-anchor" style={{ left, top }}>
      <button
        type="button"
        className="note-marker"
        data-ann-id={note.id}
        aria-label={t('note.label', { text: note.text || '…' })}
        aria-expanded={open}
        style={{ background: note.color ?? '#ffd43b' }}
        onClick={(e) => {
          e.stopPropagation();
          if (tool === 'eraser') onErase(note.id);
          else onOpen(open ? null : note.id);
        }}
      >✎</button>
      {/* Keyed on the text: opening, or the note changing on another device, starts from what is stored. */}
      {open && <NoteEditor key={note.text} note={note} onOpen={onOpen} onErase={onErase} onText={onText} />}
    </div>
  );
}

function NoteEditor({ note, onOpen, onErase, onText }: Pick<NoteMarkerProps, 'note' | 'onOpen' | 'onErase' | 'onText'>) {
  const t = useT();
  const [draft, setDraft] = useState(note.text);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  const close = () => {
    if (draft.trim() === '') onErase(note.id);
    else if (draft !== note.text) onText(note, draft);
    onOpen(null);
  };
  return (
    <div className="note-editor" role="dialog" aria-label={t('tools.note')} onKeyDown={(e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    }}>
      <textarea ref={area} value={draft} placeholder={t('note.placeholder')} aria-label={t('tools.note')} onChange={(e) => setDraft(e.target.value.slice(0, 20000))} rows={4} />
      <div className="note-actions">
        <button type="button" onClick={close}>{t('note.save')}</button>
        <button type="button" onClick={() => { onErase(note.id); onOpen(null); }}>{t('note.delete')}</button>
      </div>
    </div>
  );
}
