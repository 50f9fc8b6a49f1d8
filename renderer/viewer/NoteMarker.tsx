// A text note on a page: its marker at the note's page point, and while open its editor. An
// empty note is removed when the editor closes; the eraser removes a note by tapping its marker.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import type { Annotation } from '../../shared/notes-doc.ts';
import { pageToScreen, type PagePlacement } from '../annotations/geometry.ts';
import type { ToolName } from '../annotations/tools/index.ts';
import { useT } from '../i18n/index.tsx';
import { placeNoteEditor } from './note-placement.ts';

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
  const marker = useRef<HTMLButtonElement>(null);
  return (
    <div className="note-anchor" style={{ left, top }}>
      <button
        ref={marker}
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
      {open && <NoteEditor key={note.text} marker={marker} note={note} onOpen={onOpen} onErase={onErase} onText={onText} />}
    </div>
  );
}

type EditorProps = Pick<NoteMarkerProps, 'note' | 'onOpen' | 'onErase' | 'onText'> & { marker: RefObject<HTMLButtonElement | null> };

// The editor is portalled out of the page (which clips its overflow) and kept on screen.
function NoteEditor({ marker, note, onOpen, onErase, onText }: EditorProps) {
  const t = useT();
  const [draft, setDraft] = useState(note.text);
  const area = useRef<HTMLTextAreaElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const pos = useOnScreenBeside(marker, box);
  useEffect(() => area.current?.focus({ preventScroll: true }), []);
  const close = () => {
    if (draft.trim() === '') onErase(note.id);
    else if (draft !== note.text) onText(note, draft);
    onOpen(null);
  };
  return createPortal(
    <div ref={box} className="note-editor" role="dialog" aria-label={t('tools.note')}
      style={pos ? { left: pos.left, top: pos.top } : { left: 0, top: 0, visibility: 'hidden' }} onKeyDown={(e) => {
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
    </div>,
    document.body,
  );
}

/** Viewport position for `box` beside `anchor`, followed through scrolling, resizing and a grown textarea. */
function useOnScreenBeside(anchor: RefObject<HTMLElement | null>, box: RefObject<HTMLElement | null>): { left: number; top: number } | null {
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const place = () => {
      const a = anchor.current;
      const b = box.current;
      if (!a || !b) return;
      const root = document.documentElement;
      const next = placeNoteEditor(a.getBoundingClientRect(), { width: b.offsetWidth, height: b.offsetHeight }, { width: root.clientWidth, height: root.clientHeight });
      setPos((p) => (p && p.left === next.left && p.top === next.top ? p : next));
    };
    place();
    // Capture: scrolling the pages (not the window) must move the editor with its marker.
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    const grown = new ResizeObserver(place);
    if (box.current) grown.observe(box.current);
    return () => {
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
      grown.disconnect();
    };
  }, [anchor, box]);
  return pos;
}
