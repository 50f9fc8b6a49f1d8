// The minutes table (schema.ts) as typed reads and writes. No decisions here: service.ts runs the
// flow, each command inside its own transaction over these statements.
import type { Database } from '../../core/store.ts';
import { DEFAULT_MINUTES_FIELDS, minutesFieldsSchema, minutesModelSchema, type MinutesFields, type MinutesLang, type MinutesModel, type MinutesState } from '../../../shared/minutes.ts';

interface Raw {
  meeting_id: string;
  state: MinutesState;
  fields: string;
  rev: number;
  read_out_at: number | null;
  read_out_by: string | null;
  submitted_at: number | null;
  submitted_by: string | null;
  approved_at: number | null;
  approved_by: string | null;
  issued_at: number | null;
  issued_by: string | null;
  number_year: number | null;
  number_suffix: string | null;
  number_seq: number | null;
  number: string | null;
  lang: MinutesLang | null;
  sha256: string | null;
  size: number | null;
  paper_id: string | null;
  model: string | null;
  signed_sha256: string | null;
  signed_at: number | null;
  signed_by: string | null;
  updated_at: number;
}

export interface MinutesRow {
  meetingId: string;
  state: MinutesState;
  /** Only what was set; the defaults fill the rest (fieldsOf). */
  set: Partial<MinutesFields>;
  rev: number;
  readOut: Stamp | null;
  submitted: Stamp | null;
  approved: Stamp | null;
  issued: (Stamp & { number: string; lang: MinutesLang; sha256: string; size: number; paperId: string }) | null;
  /** The model as printed at issue: later changes to the meeting never reach issued minutes. */
  frozen: MinutesModel | null;
  signed: (Stamp & { sha256: string }) | null;
}
export interface Stamp {
  at: number;
  by: string | null;
}

/** A transition's columns by name (undefined leaves one as it is). */
export type MinutesChange = Partial<Omit<Raw, 'meeting_id' | 'rev' | 'updated_at' | 'fields' | 'model'>> & { fields?: Partial<MinutesFields>; model?: MinutesModel };

const stamp = (at: number | null, by: string | null): Stamp | null => (at === null ? null : { at, by });

/** The stored fields over the defaults; a value that no longer parses (an older hub's) falls back to the default. */
export function fieldsOf(set: Partial<MinutesFields>, base: MinutesFields = DEFAULT_MINUTES_FIELDS): MinutesFields {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(set)) {
    const schema = minutesFieldsSchema.shape[k as keyof MinutesFields];
    if (schema?.safeParse(v).success) out[k] = v;
  }
  return out as MinutesFields;
}

export class MinutesStore {
  private readonly db: Database;
  private readonly s;

  constructor(db: Database) {
    this.db = db;
    this.s = {
      get: db.prepare<[string], Raw>('SELECT * FROM minutes WHERE meeting_id = ?'),
      ensure: db.prepare<[string, number]>("INSERT OR IGNORE INTO minutes (meeting_id, state, fields, rev, updated_at) VALUES (?, 'draft', '{}', 0, ?)"),
      lastFields: db.prepare<[string], { fields: string }>(`SELECT fields FROM minutes WHERE meeting_id <> ?
        AND (json_extract(fields, '$.orgName') IS NOT NULL OR json_extract(fields, '$.numberSuffix') IS NOT NULL OR json_extract(fields, '$.variant') IS NOT NULL)
        ORDER BY updated_at DESC LIMIT 1`),
      nextSeq: db.prepare<[number, string], { n: number }>('SELECT COALESCE(MAX(number_seq), 0) + 1 AS n FROM minutes WHERE number_year = ? AND number_suffix = ?'),
      taken: db.prepare<[number, string, number], { x: number }>('SELECT 1 AS x FROM minutes WHERE number_year = ? AND number_suffix = ? AND number_seq = ?'),
    };
  }

  get(meetingId: string): MinutesRow | null {
    const r = this.s.get.get(meetingId);
    if (!r) return null;
    const model = r.model === null ? null : minutesModelSchema.safeParse(JSON.parse(r.model));
    return {
      meetingId: r.meeting_id,
      state: r.state,
      set: JSON.parse(r.fields) as Partial<MinutesFields>,
      rev: r.rev,
      readOut: stamp(r.read_out_at, r.read_out_by),
      submitted: stamp(r.submitted_at, r.submitted_by),
      approved: stamp(r.approved_at, r.approved_by),
      issued: r.issued_at === null || r.number === null || r.sha256 === null || r.paper_id === null
        ? null
        : { at: r.issued_at, by: r.issued_by, number: r.number, lang: r.lang ?? 'vi', sha256: r.sha256, size: r.size ?? 0, paperId: r.paper_id },
      frozen: model?.success ? model.data : null,
      signed: r.signed_sha256 === null || r.signed_at === null ? null : { sha256: r.signed_sha256, at: r.signed_at, by: r.signed_by },
    };
  }

  /**
   * The organisation lines of another meeting's minutes, the last whose masthead was edited on
   * this hub: a meeting's minutes start from them, as an office's minutes all carry the same.
   */
  lastMasthead(meetingId: string): Partial<MinutesFields> {
    const r = this.s.lastFields.get(meetingId);
    if (!r) return {};
    const f = JSON.parse(r.fields) as Partial<MinutesFields>;
    const keep: Array<keyof MinutesFields> = ['variant', 'orgParent', 'orgName', 'numberSuffix', 'place', 'timeZone'];
    return Object.fromEntries(keep.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
  }

  /** Writes the named columns, bumps rev and stamps the change (the row is made if missing). */
  change(meetingId: string, at: number, by: string | null, c: MinutesChange): void {
    this.s.ensure.run(meetingId, at);
    const cols: Array<[string, unknown]> = Object.entries(c).filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, k === 'fields' || k === 'model' ? JSON.stringify(v) : v]);
    const sets = [...cols.map(([k]) => `${k} = ?`), 'rev = rev + 1', 'updated_at = ?', 'updated_by = ?'].join(', ');
    this.db.prepare(`UPDATE minutes SET ${sets} WHERE meeting_id = ?`).run(...cols.map(([, v]) => v), at, by, meetingId);
  }

  nextNumber(year: number, suffix: string): number {
    return this.s.nextSeq.get(year, suffix)!.n; // an aggregate always yields one row
  }

  numberTaken(year: number, suffix: string, seq: number): boolean {
    return this.s.taken.get(year, suffix, seq) !== undefined;
  }

  isIssued(meetingId: string): boolean {
    return this.s.get.get(meetingId)?.state === 'issued';
  }
}
