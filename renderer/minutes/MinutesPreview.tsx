// The minutes as HTML: the same blocks the hub's PDF and DOCX writers draw
// (shared/minutes-layout.ts), so what the secretary reads here is what the documents say, in
// either language, without rendering a PDF on every change.
import { layoutMinutes, type Block, type Run } from '../../shared/minutes-layout.ts';
import type { MinutesLang, MinutesModel } from '../../shared/minutes.ts';

function Runs({ runs }: { runs: readonly Run[] }) {
  return (
    <>
      {runs.map((r, i) => {
        const text = r.italic ? <em>{r.text}</em> : r.text;
        return r.bold ? <strong key={i}>{text}</strong> : <span key={i}>{text}</span>;
      })}
    </>
  );
}

function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case 'masthead':
      return (
        <div className="mn-mast">
          {[b.left, b.right].map((col, c) => (
            <div key={c} className="mn-mast-col">
              {col.map((l, i) => <p key={i} className={l.rule ? `mn-rule-${l.rule}` : undefined}><Runs runs={l.runs} /></p>)}
            </div>
          ))}
        </div>
      );
    case 'title':
      return (
        <div className="mn-title">
          {b.draft && <p className="mn-draft">{b.draft}</p>}
          <p className="mn-title-main">{b.title}</p>
          <p className="mn-subtitle">{b.subtitle}</p>
        </div>
      );
    case 'heading':
      return <p className="mn-heading">{b.text}</p>;
    case 'para':
      return <p className={b.indent ? 'mn-para mn-indent' : 'mn-para'}><Runs runs={b.runs} /></p>;
    case 'table':
      return (
        <table className="mn-table">
          <colgroup>{b.widths.map((w, i) => <col key={i} style={{ width: `${w * 100}%` }} />)}</colgroup>
          <thead><tr>{b.header.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr></thead>
          <tbody>{b.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
        </table>
      );
    case 'signatures':
      return (
        <div className="mn-signs">
          {b.cols.map((c, i) => (
            <div key={i}>
              <p><strong>{c.title}</strong></p>
              <p className="mn-note"><em>{c.note}</em></p>
              <p className="mn-sign-name"><strong>{c.name}</strong></p>
            </div>
          ))}
        </div>
      );
  }
}

export function MinutesPreview({ model, lang, label }: { model: MinutesModel; lang: MinutesLang; label: string }) {
  return (
    <article className="mn-preview" lang={lang} aria-label={label}>
      {layoutMinutes(model, lang).map((b, i) => <BlockView key={i} b={b} />)}
    </article>
  );
}
