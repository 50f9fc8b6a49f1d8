// The one confirmation for destructive actions (issue 16): a modal `alertdialog` that names what
// will happen, with the destructive button named for the action ("Delete item") and Cancel.
// The native <dialog> opened with showModal() makes the rest of the page inert and puts the box
// in the top layer, so no ancestor's overflow or z-index can cut it off; Tab is wrapped inside it
// by hand as well, because Chromium otherwise lets focus leave to the browser's own controls.
// Esc cancels (the dialog's `cancel` event), and focus goes back to what opened it.
import { useEffectEvent, useId, useLayoutEffect, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../i18n/index.tsx';
import './confirm-dialog.css';

export interface ConfirmDialogProps {
  /** The question, e.g. "Delete this item?": the dialog's accessible name. */
  title: string;
  /** What will happen, in a sentence: the dialog's description. */
  message: ReactNode;
  /** The destructive button's name: the action itself ("Delete item"), never "OK". */
  confirmLabel: string;
  cancelLabel?: string;
  /** Extra fields between the message and the buttons (a reason); the first one gets focus. */
  children?: ReactNode;
  busy?: boolean;
  confirmDisabled?: boolean;
  /** An error from the attempt, shown inside the dialog so it stays open to try again. */
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/** Rendered only while asking: mounting it opens it, unmounting closes it. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const messageId = useId();
  const cancelled = useEffectEvent(() => props.onCancel());

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // A field (the reason) is what the person has to do first; otherwise the safe choice.
    const field = dialog.querySelector<HTMLElement>('.confirm-fields input, .confirm-fields textarea, .confirm-fields select');
    (field ?? cancelRef.current)?.focus();
    // Esc: the browser would close the dialog behind React's back; cancel through the owner instead.
    const cancel = (e: Event) => {
      e.preventDefault();
      cancelled();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      // The opener may have gone with what it deleted; then focus stays where the page puts it.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const at = document.activeElement;
    if (e.shiftKey && (at === first || !e.currentTarget.contains(at))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !e.currentTarget.contains(at))) {
      e.preventDefault();
      first.focus();
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!props.busy && !props.confirmDisabled) props.onConfirm();
  };

  return (
    <dialog ref={ref} className="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={messageId} onKeyDown={onKeyDown}>
      <form onSubmit={submit}>
        <h2 id={titleId} className="confirm-title">{props.title}</h2>
        <div id={messageId} className="confirm-message">{props.message}</div>
        {props.children && <div className="confirm-fields">{props.children}</div>}
        {props.error && <p className="error small" role="alert">{props.error}</p>}
        <div className="confirm-actions">
          <button ref={cancelRef} type="button" onClick={() => props.onCancel()}>{props.cancelLabel ?? t('confirm.cancel')}</button>
          <button type="submit" className="danger primary" disabled={props.busy || props.confirmDisabled}>{props.confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
