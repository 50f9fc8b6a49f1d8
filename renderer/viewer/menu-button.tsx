// A button that opens a menu, worked as the ARIA menu button pattern: aria-haspopup and
// aria-expanded on the button; in the menu the arrow keys, Home and End move, Escape closes it
// and gives the focus back, Tab or a click elsewhere closes it. Choosing an item closes it.
// Items are the children: buttons with role menuitem, menuitemcheckbox or menuitemradio.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuButtonProps {
  /** The menu's name (and the button's, unless `buttonLabel` says otherwise). */
  label: string;
  /** What the button shows. */
  button: ReactNode;
  /** For a button that shows no text: its name and tooltip. */
  buttonLabel?: string;
  className?: string;
  children: ReactNode;
}

const itemsOf = (menu: HTMLElement | null): HTMLElement[] =>
  menu ? [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([disabled])')] : [];

export function MenuButton({ label, button, buttonLabel, className, children }: MenuButtonProps) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const id = useId();
  const btn = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const items = itemsOf(menu.current);
    (open === 'last' ? items.at(-1) : items[0])?.focus();
    const away = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !btn.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) btn.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = itemsOf(menu.current);
    const i = items.indexOf(document.activeElement as HTMLElement);
    let next: number;
    if (e.key === 'ArrowDown') next = (i + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
      return;
    } else if (e.key === 'Tab') {
      close(false);
      return;
    } else return;
    // Handled here, so the viewer's window-wide keys (arrows turn pages) leave it alone.
    e.preventDefault();
    items[next]?.focus();
  };
  return (
    <div className={`menu-button${className ? ` ${className}` : ''}`}>
      <button
        ref={btn}
        type="button"
        aria-haspopup="menu"
        aria-expanded={!!open}
        aria-controls={open ? id : undefined}
        aria-label={buttonLabel}
        title={buttonLabel}
        onClick={() => setOpen((o) => (o ? false : 'first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(e.key === 'ArrowUp' ? 'last' : 'first');
          }
        }}
      >
        {button}
      </button>
      {open && (
        <div
          ref={menu}
          id={id}
          role="menu"
          aria-label={label}
          className="menu"
          onKeyDown={onMenuKey}
          onClick={(e) => {
            if ((e.target as HTMLElement).closest('[role^="menuitem"]')) close(true);
          }}
        >
          {children}
        </div>
      )}
    </div>
  );
}
