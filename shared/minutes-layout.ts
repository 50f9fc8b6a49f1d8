// The minutes laid out once, as blocks the PDF writer, the DOCX writer and the console's HTML
// preview each draw in their own medium: so the three say the same words in the same order, and
// a change to the biên bản's layout is made here only. Vietnamese is the primary layout; English
// follows it line for line (shared/minutes-text.ts).
import type { MinutesLang, MinutesModel, MinutesVote } from './minutes.ts';
import { votePercent } from './minutes.ts';
import { formatDay, formatPercent, minutesText, wallClock, type MinutesTextKey } from './minutes-text.ts';

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}
/** A line of the masthead, centred in its column; `rule` draws a line under it (full width of the text, or a short one). */
export interface MastLine {
  runs: Run[];
  rule?: 'full' | 'short';
}
export type Block =
  | { kind: 'masthead'; left: MastLine[]; right: MastLine[] }
  /** `draft`: the mark a draft carries above the title ("DỰ THẢO"), null once issued. */
  | { kind: 'title'; draft: string | null; title: string; subtitle: string }
  | { kind: 'heading'; text: string }
  /** Justified body text; `indent` sets a list line in from the margin; `keep` keeps it on the page of what follows. */
  | { kind: 'para'; runs: Run[]; indent?: boolean; keep?: boolean }
  /** `widths` are fractions of the text width; every row has one cell per column. */
  | { kind: 'table'; widths: number[]; header: string[]; rows: string[][] }
  | { kind: 'signatures'; cols: Array<{ title: string; note: string; name: string }> };

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

export function layoutMinutes(model: MinutesModel, lang: MinutesLang): Block[] {
  const t = (k: MinutesTextKey, v?: Record<string, string | number>) => minutesText(lang, k, v);
  const tz = model.timeZone;
  const blank = t('blank');
  const or = (s: string | null | undefined) => (s && s.trim() ? s : blank);
  const out: Block[] = [];
  const para = (runs: Run[], indent = false, keep = false) => out.push({ kind: 'para', runs, ...(indent ? { indent } : {}), ...(keep ? { keep } : {}) });
  /** "Label: text", the text's own paragraphs after the first each a paragraph of their own. */
  const labelled = (label: string, text: string) => {
    const [first = '', ...rest] = text.split(/\n+/).map((s) => s.trim()).filter(Boolean);
    para([{ text: `${label}: `, bold: true }, { text: first || blank }]);
    for (const p of rest) para([{ text: p }]);
  };
  let section = 0;
  const heading = (key: MinutesTextKey) => out.push({ kind: 'heading', text: `${ROMAN[section++] ?? section}. ${t(key)}` });
  const share = (n: number, base: number) => t('share', { n, base, p: formatPercent(lang, votePercent(n, base)) });
  const result = (v: MinutesVote) => (v.passed === null ? t('noQuorum') : v.options ? (v.passed ? t('elected') : t('noneElected')) : t(v.passed ? 'passed' : 'failed'));
  const voteSentence = (v: MinutesVote): string => {
    const secret = v.secret ? t('secret') : '';
    if (v.options) {
      const options = v.options.map((o) => `${o.label} ${share(o.votes, v.base)}${o.elected === null ? '' : ` – ${t(o.elected ? 'elected' : 'notElected')}`}`).join('; ');
      return t('election', { title: v.title, secret, options, result: result(v) });
    }
    return t('vote', { title: v.title, secret, yes: share(v.yes, v.base), no: share(v.no, v.base), noVote: share(v.noVote, v.base), result: result(v) });
  };
  const day = (ms: number) => wallClock(ms, tz);
  const clock = (ms: number) => t('clock', { ...day(ms) });

  // ---- masthead and title ------------------------------------------------------------------
  const h = model.header;
  const number = h.number ?? `${blank}${model.variant === 'party' ? '-' : '/'}${h.numberSuffix}`;
  const date = h.date === null ? null : day(h.date);
  const dateLine = t('dateLine', { place: h.place ? `${h.place}, ` : '', ...(date ?? { d: blank, m: blank, month: blank, y: blank }) });
  const upper = (s: string) => s.toLocaleUpperCase('vi');
  if (model.variant === 'party') {
    out.push({
      kind: 'masthead',
      left: [
        ...(h.orgParent ? [{ runs: [{ text: upper(h.orgParent) }] }] : []),
        { runs: [{ text: upper(or(h.orgName)), bold: true }] },
        { runs: [{ text: '*' }] },
        { runs: [{ text: t('numberParty', { n: number }) }] },
      ],
      right: [{ runs: [{ text: t('partyName'), bold: true }], rule: 'full' }, { runs: [] }, { runs: [{ text: dateLine, italic: true }] }],
    });
  } else {
    out.push({
      kind: 'masthead',
      left: [
        ...(h.orgParent ? [{ runs: [{ text: upper(h.orgParent) }] }] : []),
        { runs: [{ text: upper(or(h.orgName)), bold: true }], rule: 'short' },
        { runs: [{ text: t('numberState', { n: number }) }] },
      ],
      right: [
        { runs: [{ text: t('stateName'), bold: true }] },
        { runs: [{ text: t('motto'), bold: true }], rule: 'full' },
        { runs: [] },
        { runs: [{ text: dateLine, italic: true }] },
      ],
    });
  }
  out.push({ kind: 'title', draft: h.number === null ? t('draft') : null, title: t('title'), subtitle: model.meetingTitle });

  // ---- opening -----------------------------------------------------------------------------
  const o = model.opening;
  const opened = o.startsAt === null ? blank : t('opened', { time: clock(o.startsAt), ...day(o.startsAt) });
  para([{ text: `${t('time')}: `, bold: true }, { text: opened }]);
  para([{ text: `${t('location')}: `, bold: true }, { text: or(o.location) }]);
  labelled(t('content'), o.content);
  para([{ text: `${t('chair')}: `, bold: true }, { text: or(o.chair) }]);
  para([{ text: `${t('secretary')}: `, bold: true }, { text: or(o.secretary) }]);
  if (o.documents.length > 0) {
    para([{ text: `${t('documents')}:`, bold: true }]);
    for (const d of o.documents) para([{ text: `- ${d.title} (${t('pages', { n: d.pages })})` }], true);
  }

  // ---- attendance --------------------------------------------------------------------------
  const a = model.attendance;
  heading('attendance');
  para([{ text: t('attendanceSummary', { members: a.members, present: a.present.length, absent: a.absent.length }) }]);
  const role = (r: string) => (r === 'chair' || r === 'secretary' ? t(`role_${r}`) : t('role_delegate'));
  if (a.present.length > 0) {
    para([{ text: `${t('present')} (${a.present.length}):`, bold: true }], false, true);
    out.push({
      kind: 'table', widths: [0.09, 0.41, 0.2, 0.3], header: [t('colNo'), t('colName'), t('colRole'), t('colRemarks')],
      rows: a.present.map((p, i) => [String(i + 1), p.name, role(p.role), [p.remote && t('remote'), p.late && t('late'), p.leftEarly && t('leftEarly')].filter(Boolean).join('; ')]),
    });
  }
  if (a.absent.length > 0) {
    para([{ text: `${t('absent')} (${a.absent.length}):`, bold: true }], false, true);
    out.push({
      kind: 'table', widths: [0.09, 0.41, 0.2, 0.3], header: [t('colNo'), t('colName'), t('colRole'), t('colReason')],
      rows: a.absent.map((p, i) => [String(i + 1), p.name, role(p.role), p.excused ? (p.reason ? `${t('excused')}: ${p.reason}` : t('excused')) : p.reason ?? t('unexcused')]),
    });
  }
  if (a.guests.length > 0) {
    para([{ text: `${t('guests')}:`, bold: true }]);
    for (const g of a.guests) para([{ text: `- ${g.name}${g.position ? `, ${g.position}` : ''}` }], true);
  }

  // ---- proceedings ---------------------------------------------------------------------------
  const allVotes: MinutesVote[] = [];
  if (model.items.length > 0) heading('proceedings');
  model.items.forEach((item, i) => {
    para([{ text: `${i + 1}. ${item.title}`, bold: true }], false, true);
    if (item.presenter) para([{ text: `${t('presenter')}: `, bold: true }, { text: item.presenter }]);
    if (item.speakers.length > 0) {
      const names = item.speakers.map((s, n) => `${n + 1}. ${s.name}${s.kind === 'normal' ? '' : ` (${t(`kind_${s.kind}`)})`}`).join('; ');
      para([{ text: `${t('speakers')}: `, bold: true }, { text: `${names}.` }]);
    }
    if (item.summary) labelled(t('summary'), item.summary);
    for (const v of item.votes) {
      allVotes.push(v);
      para([{ text: voteSentence(v) }]);
    }
    for (const d of item.decisions) {
      para([{ text: `${t(`kind_${d.kind}`)}: `, bold: true }, { text: d.text }]);
      if (d.vote) {
        allVotes.push(d.vote);
        para([{ text: voteSentence(d.vote) }], true);
      }
      for (const x of d.dissents) para([{ text: t('dissent', { name: x.name, text: x.text }), italic: true }], true);
    }
    if (item.conclusion) labelled(t('conclusion'), item.conclusion);
    if (item.status === 'deferred' || item.status === 'withdrawn') para([{ text: t(item.status), italic: true }]);
  });

  // ---- votes, actions, other matters ---------------------------------------------------------
  if (allVotes.length + model.otherVotes.length > 0) {
    heading('votes');
    for (const v of model.otherVotes) {
      allVotes.push(v);
      para([{ text: voteSentence(v) }]);
    }
    out.push({
      kind: 'table', widths: [0.08, 0.24, 0.17, 0.17, 0.17, 0.17],
      header: [t('colNo'), t('colMotion'), t('colYes'), t('colNo_'), t('colNoVote'), t('colResult')],
      rows: allVotes.map((v, i) => v.options
        ? [String(i + 1), [v.title, ...v.options.map((x) => `${x.label}: ${share(x.votes, v.base)}`)].join('\n'), '—', '—', share(v.noVote, v.base), result(v)]
        : [String(i + 1), v.title, share(v.yes, v.base), share(v.no, v.base), share(v.noVote, v.base), result(v)]),
    });
  }
  if (model.actions.length > 0) {
    heading('actions');
    out.push({
      kind: 'table', widths: [0.07, 0.37, 0.2, 0.18, 0.18], header: [t('colNo'), t('colTask'), t('colOwner'), t('colCoUnits'), t('colDue')],
      rows: model.actions.map((x, i) => [String(i + 1), x.title, x.owner, x.coUnits.join(', '), x.dueDate ? formatDay(lang, x.dueDate) : '']),
    });
  }
  if (model.notes.trim()) {
    heading('notes');
    for (const p of model.notes.split(/\n+/).map((s) => s.trim()).filter(Boolean)) para([{ text: p }]);
  }

  // ---- closing -------------------------------------------------------------------------------
  const c = model.closing;
  para([{ text: c.closedAt === null ? t('closedUnknown') : t('closed', { time: clock(c.closedAt), ...day(c.closedAt) }) }]);
  if (c.readOut) para([{ text: t('readOut') }]);
  out.push({
    kind: 'signatures',
    cols: [
      { title: t('signSecretary'), note: t('signNote'), name: model.signatures.secretary ?? '' },
      { title: t(model.variant === 'party' ? 'signChairParty' : 'signChairState'), note: t('signNote'), name: model.signatures.chair ?? '' },
    ],
  });
  return out;
}
