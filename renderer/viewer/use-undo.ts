// Undo and Redo for the open paper: a Y.UndoManager over the notes doc that tracks only this
// device's own edits (annotations/annotation-model.ts), with whether each is possible now.
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { undoManagerFor } from '../annotations/annotation-model.ts';

export interface Undo {
  canUndo: boolean;
  canRedo: boolean;
  undo(): void;
  redo(): void;
  /** Ends the current step: the next edit is undone on its own. */
  stopCapturing(): void;
}

export function useUndo(notesDoc: Y.Doc | null): Undo {
  const manager = useMemo(() => (notesDoc ? undoManagerFor(notesDoc) : null), [notesDoc]);
  const [state, setState] = useState({ manager, canUndo: false, canRedo: false });
  useEffect(() => {
    if (!manager) return;
    // Unchanged flags keep the state as it is: a stroke after the first re-renders nothing here.
    const update = () => setState((s) => (s.manager === manager && s.canUndo === manager.canUndo() && s.canRedo === manager.canRedo() ? s : { manager, canUndo: manager.canUndo(), canRedo: manager.canRedo() }));
    manager.on('stack-item-added', update);
    manager.on('stack-item-popped', update);
    return () => manager.destroy();
  }, [manager]);
  // The actions stay the same functions while the manager does: pages take them as props.
  const actions = useMemo(() => ({
    undo: () => void manager?.undo(),
    redo: () => void manager?.redo(),
    stopCapturing: () => manager?.stopCapturing(),
  }), [manager]);
  // A state from another manager (the notes doc changed) says nothing about this one.
  const current = state.manager === manager ? state : { canUndo: false, canRedo: false };
  return { canUndo: current.canUndo, canRedo: current.canRedo, ...actions };
}
