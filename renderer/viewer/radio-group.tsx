// A row of radio buttons worked as the ARIA radio group pattern: one Tab stop (the checked
// choice), the arrow keys and Home/End move and choose. The viewer's colours, widths and views.
import { useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';

export interface RadioOption<T> {
  value: T;
  /** The choice's name, read out and shown as its tooltip. */
  label: string;
  /** What the button shows (an icon, a swatch, a label). */
  content?: ReactNode;
  className?: string;
  style?: CSSProperties;
}

export interface RadioGroupProps<T> {
  label: string;
  value: T;
  options: ReadonlyArray<RadioOption<T>>;
  onChange: (value: T) => void;
  className?: string;
}

const NEXT: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

export function RadioGroup<T extends string | number>({ label, value, options, onChange, className }: RadioGroupProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const checked = Math.max(0, options.findIndex((o) => o.value === value));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = options.findIndex((o) => o.value === value);
    let next: number;
    if (e.key in NEXT) next = ((i < 0 ? 0 : i + NEXT[e.key]!) + options.length) % options.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = options.length - 1;
    else return;
    // Handled here: the viewer's window-wide keys (arrows turn pages) leave it alone.
    e.preventDefault();
    onChange(options[next]!.value);
    box.current?.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
  };
  return (
    <div ref={box} role="radiogroup" aria-label={label} className={className} onKeyDown={onKeyDown}>
      {options.map((o, i) => (
        <button
          key={String(o.value)}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          aria-label={o.label}
          title={o.label}
          tabIndex={i === checked ? 0 : -1}
          className={o.className}
          style={o.style}
          onClick={() => onChange(o.value)}
        >
          {o.content}
        </button>
      ))}
    </div>
  );
}
