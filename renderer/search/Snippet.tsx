// A search snippet with the stretches the query matched in <mark>. The marks are [from, to)
// offsets into the snippet, as the server sent them: untrusted, so each is clamped to the text and
// overlapping or out-of-order ones are skipped rather than breaking the text apart.
import type { ReactNode } from 'react';

export function markedParts(snippet: string, marks: ReadonlyArray<readonly [number, number]>): Array<{ text: string; marked: boolean }> {
  const out: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const [a, b] of [...marks].sort((x, y) => x[0] - y[0])) {
    const from = Math.max(at, Math.min(a, snippet.length));
    const to = Math.min(b, snippet.length);
    if (to <= from) continue;
    if (from > at) out.push({ text: snippet.slice(at, from), marked: false });
    out.push({ text: snippet.slice(from, to), marked: true });
    at = to;
  }
  if (at < snippet.length) out.push({ text: snippet.slice(at), marked: false });
  return out;
}

export function Snippet({ text, marks }: { text: string; marks: ReadonlyArray<readonly [number, number]> }): ReactNode {
  return (
    <span className="search-snippet">
      {markedParts(text, marks).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
