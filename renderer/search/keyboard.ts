// Moving through the search results with the keyboard: each result is a link marked
// `data-search-result`, in reading order; the arrow keys step between them (Tab does anyway),
// and up from the first goes back to the field.

const results = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[data-search-result]')];

/** Focuses the result at `index` (negative counts from the end); false if there is none. */
export function focusResult(index: number): boolean {
  const list = results();
  const el = list.at(index);
  if (!el) return false;
  el.focus();
  return true;
}

/** Handles ArrowDown/ArrowUp on a focused result; true when it moved the focus. */
export function stepResult(current: EventTarget | null, key: string, fieldId: string): boolean {
  if (key !== 'ArrowDown' && key !== 'ArrowUp') return false;
  const list = results();
  const i = list.indexOf(current as HTMLElement);
  if (i < 0) return false;
  if (key === 'ArrowDown') {
    list[Math.min(i + 1, list.length - 1)]!.focus();
    return true;
  }
  if (i === 0) document.getElementById(fieldId)?.focus();
  else list[i - 1]!.focus();
  return true;
}
