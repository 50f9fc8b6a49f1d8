// What the record's screens derive from the live document, as plain functions: a vote's result as
// the minutes word it ("tán thành X/Y (Z%)"), the overdue flag judged again against the hub's day,
// and the lists that belong to one agenda item.
import type { PollResult } from '../../shared/procedures/polls.ts';
import { dayOf, isOverdue, type ActionItem, type Decision, type ItemOutcome } from '../../shared/records.ts';

export interface ResultShare {
  yes: number;
  no: number;
  abstain: number;
  /** Those entitled to vote when it opened (the minutes' Y), else those who voted. */
  base: number;
  /** yes / base, in percent, one decimal. */
  pct: number;
}

export function resultShare(r: PollResult): ResultShare {
  const cast = r.yes + r.no + r.abstain;
  const base = r.entitled ?? r.voted ?? cast;
  const pct = base > 0 ? Math.round((r.yes * 1000) / base) / 10 : 0;
  return { yes: r.yes, no: r.no, abstain: r.abstain, base, pct };
}

/** 66.7 as the reader writes it (66,7 in Vietnamese). */
export const formatPct = (pct: number, locale: string): string => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(pct);

/** A YYYY-MM-DD day as the reader writes dates (no time zone: it is a calendar day). */
export function formatDay(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' });
}

/**
 * The live document keeps each action item's `overdue` as of its last write; a day later it may
 * be wrong, so screens judge it again against the hub's day (`hubNow`: the clock estimate).
 */
export function judgeOverdue(items: readonly ActionItem[], hubNow: number): ActionItem[] {
  const today = dayOf(hubNow);
  return items.map((a) => {
    const overdue = isOverdue(a, today);
    return overdue === a.overdue ? a : { ...a, overdue };
  });
}

export interface ItemRecord {
  outcome: ItemOutcome | null;
  decisions: Decision[];
  actionItems: ActionItem[];
}

export function recordOfItem(rec: { outcomes: readonly ItemOutcome[]; decisions: readonly Decision[]; actionItems: readonly ActionItem[] }, agendaItemId: string): ItemRecord {
  return {
    outcome: rec.outcomes.find((o) => o.agendaItemId === agendaItemId) ?? null,
    decisions: rec.decisions.filter((d) => d.agendaItemId === agendaItemId),
    actionItems: rec.actionItems.filter((a) => a.agendaItemId === agendaItemId),
  };
}

/** Supporting units typed one per line (or separated by semicolons): trimmed, blanks and repeats dropped. */
export function parseUnits(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\n;]/)) {
    const unit = raw.trim();
    if (unit && !out.includes(unit)) out.push(unit);
  }
  return out.slice(0, 50);
}
