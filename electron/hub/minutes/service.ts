// The minutes' flow: draft → (read_out) → submitted → approved → issued, with reopen back to a
// draft before issue. The secretary drafts, reads out and submits; the chair approves; either
// issues (an admin may do all). Every command re-reads the row and checks the state inside one
// SQLite transaction that also holds its audit row and the status in live/<meetingId>
// (SyncCore.atomically). Issuing renders the PDF first, then stores it as a paper of the meeting
// through the upload service with the minutes' row written in the upload's own transaction
// (PaperUpload.commitWith): a crash leaves the minutes issued with their paper, or approved
// without one — never one without the other.
import crypto from 'node:crypto';
import { HttpError, forbidden } from '../../core/http-common.ts';
import type { Log } from '../../core/log.ts';
import type { Database, DocStore } from '../../core/store.ts';
import type { Account } from '../access.ts';
import type { HubDb } from '../hub-db.ts';
import type { LiveWriter } from '../live-writer.ts';
import type { AddPaper } from '../uploads.ts';
import { AttendanceStore } from '../procedures/attendance-store.ts';
import { PollStore } from '../procedures/poll-store.ts';
import { SpeakerStore } from '../procedures/speakers-store.ts';
import type { AgendaItem } from '../../../shared/meeting-doc.ts';
import {
  formatMinutesNumber, MAX_MINUTES_BYTES, MINUTES_LIVE_KEY, minutesFileName,
  type MinutesFields, type MinutesFormat, type MinutesLang, type MinutesModel, type MinutesState, type MinutesStatus, type MinutesView, type PutMinutes,
} from '../../../shared/minutes.ts';
import { minutesText, wallClock } from '../../../shared/minutes-text.ts';
import { buildMinutesModel, type RecordSource } from './model.ts';
import { minutesDocx } from './docx.ts';
import { renderMinutesPdf } from './render.ts';
import { fieldsOf, MinutesStore, type MinutesChange, type MinutesRow } from './store.ts';

export interface MinutesDeps {
  sqlite: Database;
  db: HubDb;
  store: DocStore;
  /** One SQLite transaction around table writes and the live doc writes they make (SyncCore.atomically). */
  atomically: <T>(fn: () => T) => T;
  live: LiveWriter;
  addPaper: AddPaper;
  records: RecordSource;
  agenda: (meetingId: string) => AgendaItem[];
  log: Log;
  /** Runs inside the issue's transaction (the record's lock shows in the live document with it). */
  onIssued?: (meetingId: string) => void;
  now?: () => number;
}

type Act = 'edit' | 'read_out' | 'submit' | 'approve' | 'reopen' | 'issue' | 'sign';
/** Who may do what, by their role in the meeting (an admin may do everything). */
const MAY: Record<Act, readonly string[]> = {
  edit: ['secretary'], read_out: ['secretary'], submit: ['secretary'], approve: ['chair'],
  reopen: ['secretary', 'chair'], issue: ['secretary', 'chair'], sign: ['secretary', 'chair'],
};
const DENIED: Record<Act, string> = {
  edit: 'only the meeting\'s secretary drafts the minutes',
  read_out: 'only the meeting\'s secretary records the reading of the minutes',
  submit: 'only the meeting\'s secretary submits the minutes',
  approve: 'only the meeting\'s chair approves the minutes',
  reopen: 'only the meeting\'s secretary or chair reopens the minutes',
  issue: 'only the meeting\'s secretary or chair issues the minutes',
  sign: 'only the meeting\'s secretary or chair records the signed file',
};
const FROM: Record<Exclude<Act, 'edit' | 'sign'>, readonly MinutesState[]> = {
  read_out: ['draft'], submit: ['draft', 'read_out'], approve: ['submitted'], reopen: ['read_out', 'submitted', 'approved'], issue: ['approved'],
};
const WORDS: Record<MinutesState, string> = {
  draft: 'are a draft', read_out: 'were read out', submitted: 'are submitted', approved: 'are approved', issued: 'are issued',
};
const conflict = (code: string, message: string) => new HttpError(409, code, message);
const MEDIA = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

export interface MinutesDocument {
  bytes: Buffer;
  type: string;
  fileName: string;
  sha256: string;
}

export class MinutesService {
  readonly store: MinutesStore;
  private readonly d: MinutesDeps;
  private readonly sources;
  /** Issues run one at a time: the next number is taken, printed and stored before another is taken. */
  private issuing: Promise<unknown> = Promise.resolve();
  /** Meetings whose issue is under way: nothing else changes their minutes meanwhile. */
  private readonly busy = new Set<string>();

  constructor(deps: MinutesDeps) {
    this.d = deps;
    this.store = new MinutesStore(deps.sqlite);
    this.sources = {
      db: deps.db, records: deps.records, agenda: deps.agenda,
      attendance: new AttendanceStore(deps.sqlite), speakers: new SpeakerStore(deps.sqlite), polls: new PollStore(deps.sqlite),
    };
  }

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  isIssued(meetingId: string): boolean {
    return this.store.isIssued(meetingId);
  }

  fields(meetingId: string, row: MinutesRow | null): MinutesFields {
    return fieldsOf(row?.set ?? {}, fieldsOf(this.store.lastMasthead(meetingId)));
  }

  model(meetingId: string, row = this.store.get(meetingId)): MinutesModel {
    if (row?.frozen) return row.frozen;
    return buildMinutesModel(this.sources, meetingId, this.fields(meetingId, row), { number: null, readOut: row?.readOut !== null && row?.readOut !== undefined });
  }

  view(meetingId: string): MinutesView {
    const row = this.store.get(meetingId);
    return {
      meetingId, state: row?.state ?? 'draft', rev: row?.rev ?? 0, fields: this.fields(meetingId, row),
      readOut: row?.readOut ?? null, submitted: row?.submitted ?? null, approved: row?.approved ?? null, issued: row?.issued ?? null,
      signed: row?.signed ?? null, model: this.model(meetingId, row), serverTime: this.now(),
    };
  }

  private status(meetingId: string): MinutesStatus {
    const row = this.store.get(meetingId);
    return { state: row?.state ?? 'draft', rev: row?.rev ?? 0, number: row?.issued?.number ?? null, sha256: row?.issued?.sha256 ?? null, paperId: row?.issued?.paperId ?? null };
  }

  private mirror(meetingId: string): void {
    this.d.live.write(meetingId, [{ map: 'minutes', key: MINUTES_LIVE_KEY, value: this.status(meetingId) }]);
  }

  private allow(a: Account, meetingId: string, act: Act): void {
    if (a.role === 'admin') return;
    const role = this.d.db.participantRole(meetingId, a.id);
    if (!role || !MAY[act].includes(role)) throw forbidden(DENIED[act]);
  }

  /** The row in a state `act` accepts; issued minutes refuse everything. */
  private current(meetingId: string, act: Act, allowed: readonly MinutesState[]): MinutesRow | null {
    if (this.busy.has(meetingId)) throw conflict('minutes_busy', 'the minutes are being issued: try again in a moment');
    const row = this.store.get(meetingId);
    const state = row?.state ?? 'draft';
    if (state === 'issued') throw conflict('minutes_issued', 'the minutes are issued: issued minutes never change');
    if (!allowed.includes(state)) {
      const doing = act === 'edit' ? 'edit them' : act.replace('_', ' ');
      throw conflict('minutes_state', `cannot ${doing}: the minutes ${WORDS[state]}${act === 'edit' ? '; reopen them to edit' : ''}`);
    }
    return row;
  }

  /** A change with its audit row and live status; callers run it inside their transaction. */
  private commit(meetingId: string, a: Account, action: string, change: MinutesChange, detail: Record<string, unknown> = {}): void {
    this.store.change(meetingId, this.now(), a.id, change);
    this.d.db.audit(`minutes.${action}`, a.id, meetingId, detail);
    this.mirror(meetingId);
  }

  update(meetingId: string, a: Account, patch: PutMinutes): MinutesView {
    this.allow(a, meetingId, 'edit');
    this.d.atomically(() => {
      const row = this.current(meetingId, 'edit', ['draft']);
      this.commit(meetingId, a, 'edit', { fields: { ...row?.set, ...patch } }, { fields: Object.keys(patch) });
    });
    return this.view(meetingId);
  }

  transition(meetingId: string, a: Account, act: 'read_out' | 'submit' | 'approve' | 'reopen', reason?: string): MinutesView {
    this.allow(a, meetingId, act);
    const at = this.now();
    this.d.atomically(() => {
      const row = this.current(meetingId, act, FROM[act]);
      const change: MinutesChange = act === 'read_out' ? { state: 'read_out', read_out_at: at, read_out_by: a.id }
        : act === 'submit' ? { state: 'submitted', submitted_at: at, submitted_by: a.id }
          : act === 'approve' ? { state: 'approved', approved_at: at, approved_by: a.id }
            // Back to a draft: every later step is taken again, and a signed file no longer matches.
            : { state: 'draft', read_out_at: null, read_out_by: null, submitted_at: null, submitted_by: null, approved_at: null, approved_by: null, signed_sha256: null, signed_at: null, signed_by: null };
      this.commit(meetingId, a, act, change, { from: row?.state ?? 'draft', ...(reason ? { reason } : {}) });
    });
    return this.view(meetingId);
  }

  /** The sha256 of the file signed outside Chamber (ký số), once, on approved or issued minutes. */
  sign(meetingId: string, a: Account, sha256: string): MinutesView {
    this.allow(a, meetingId, 'sign');
    this.d.atomically(() => {
      if (this.busy.has(meetingId)) throw conflict('minutes_busy', 'the minutes are being issued: try again in a moment');
      const row = this.store.get(meetingId);
      if (row?.state !== 'approved' && row?.state !== 'issued') throw conflict('minutes_state', `cannot record a signed file: the minutes ${WORDS[row?.state ?? 'draft']}; they are signed once approved`);
      if (row.signed) throw conflict('signature_recorded', 'a signed file is already recorded for these minutes');
      this.commit(meetingId, a, 'sign', { signed_sha256: sha256, signed_at: this.now(), signed_by: a.id }, { sha256 });
    });
    return this.view(meetingId);
  }

  issue(meetingId: string, a: Account, lang: MinutesLang): Promise<MinutesView> {
    this.allow(a, meetingId, 'issue');
    this.current(meetingId, 'issue', FROM.issue);
    const run = this.issuing.then(() => this.issueNow(meetingId, a, lang));
    this.issuing = run.catch(() => {});
    return run;
  }

  private async issueNow(meetingId: string, a: Account, lang: MinutesLang): Promise<MinutesView> {
    const row = this.current(meetingId, 'issue', FROM.issue);
    // Only approved minutes get here, and approving made their row.
    const rev = row?.rev ?? 0;
    this.busy.add(meetingId);
    try {
      const at = this.now();
      const fields = this.fields(meetingId, row);
      const year = wallClock(at, fields.timeZone).y;
      const seq = fields.number ?? this.store.nextNumber(year, fields.numberSuffix);
      if (this.store.numberTaken(year, fields.numberSuffix, seq)) {
        throw conflict('number_taken', `number ${formatMinutesNumber(fields.variant, seq, fields.numberSuffix)} of ${year} is already issued: choose another or leave the number empty`);
      }
      const number = formatMinutesNumber(fields.variant, seq, fields.numberSuffix);
      const model = buildMinutesModel(this.sources, meetingId, fields, { number, readOut: row?.readOut != null });
      const pdf = await renderMinutesPdf(model, lang, { at });
      if (pdf.length > MAX_MINUTES_BYTES) throw new HttpError(422, 'minutes_too_large', `the minutes came to ${pdf.length} bytes, more than the ${MAX_MINUTES_BYTES} a paper may have`);
      const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
      await this.d.addPaper(a, meetingId, pdf, {
        title: minutesText(lang, 'paperTitle', { n: number }), fileName: minutesFileName(lang, number, 'pdf'),
        commitWith: (paper) => {
          // The row as it was when the PDF was made: the busy mark keeps others out, this proves it.
          if (this.store.get(meetingId)?.rev !== rev) throw conflict('minutes_changed', 'the minutes changed while they were being issued: issue them again');
          this.store.change(meetingId, at, a.id, {
            state: 'issued', issued_at: at, issued_by: a.id, number_year: year, number_suffix: fields.numberSuffix, number_seq: seq, number,
            lang, sha256, size: pdf.length, paper_id: paper.id, model,
          });
          this.d.db.audit('minutes.issue', a.id, meetingId, { number, sha256, paperId: paper.id, lang, size: pdf.length });
          this.mirror(meetingId);
          this.d.onIssued?.(meetingId);
        },
      });
      this.d.log('minutes issued', { meetingId, number, sha256 });
      return this.view(meetingId);
    } finally {
      this.busy.delete(meetingId);
    }
  }

  /**
   * The minutes as a file. Issued minutes in their issued language and as PDF are the stored
   * paper's very bytes (their sha256 is the one recorded); any other form is made from the model
   * frozen at issue, so it says the same. A draft is made from the meeting as it is now.
   */
  async document(meetingId: string, format: MinutesFormat, lang: MinutesLang): Promise<MinutesDocument> {
    const row = this.store.get(meetingId);
    const number = row?.issued?.number ?? null;
    const fileName = minutesFileName(lang, number, format);
    if (row?.issued && format === 'pdf' && lang === row.issued.lang) {
      const bytes = this.d.store.readBlobAll(row.issued.sha256);
      if (!bytes) throw new HttpError(500, 'minutes_missing', 'the issued minutes\' file is missing from the hub\'s store');
      return { bytes, type: MEDIA.pdf, fileName, sha256: row.issued.sha256 };
    }
    const model = this.model(meetingId, row);
    const at = row?.issued?.at ?? this.now();
    const bytes = format === 'pdf' ? await renderMinutesPdf(model, lang, { at }) : await minutesDocx(model, lang, { at });
    if (bytes.length > MAX_MINUTES_BYTES) throw new HttpError(422, 'minutes_too_large', `the minutes came to ${bytes.length} bytes, more than ${MAX_MINUTES_BYTES}`);
    return { bytes, type: MEDIA[format], fileName, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  }
}
