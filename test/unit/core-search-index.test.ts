// The full-text index (electron/core/search-index.ts) on real SQLite files, through both drivers
// it runs on: better-sqlite3 (hub) and better-sqlite3-multiple-ciphers with a key (agent).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import CipherSqlite3 from 'better-sqlite3-multiple-ciphers';
import { openDatabase, type Database, type DatabaseConstructor } from '../../electron/core/store.ts';
import { SearchIndex, searchIndexTables } from '../../electron/core/search-index.ts';
import { RecordIndex } from '../../electron/hub/search/records.ts';
import { searchTables } from '../../electron/hub/search/schema.ts';
import { tempDir } from '../helpers/processes.ts';

const drivers: Array<[string, DatabaseConstructor, string | undefined]> = [
  ['better-sqlite3', BetterSqlite3 as unknown as DatabaseConstructor, undefined],
  ['better-sqlite3-multiple-ciphers', CipherSqlite3 as unknown as DatabaseConstructor, 'a test key'],
];
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe.each(drivers)('SearchIndex on %s', (_name, Driver, key) => {
  const file = () => path.join(tempDir('chamber-search-'), 'index.sqlite');
  const make = (f: string, create: boolean) => {
    const db = openDatabase(f, { Driver, key });
    open.push(db);
    if (create) searchIndexTables(db);
    return { db, index: new SearchIndex(db) };
  };

  it('indexes pages, finds them accent-free, best first, only among the allowed files', () => {
    const { index } = make(file(), true);
    index.putPages('a', ['Dự toán ngân sách.', '', 'Ngân sách, ngân sách và NGÂN SÁCH.']);
    index.putPages('b', ['Ngân sách bí mật.']);
    expect(index.status('a')).toBe('indexed');
    expect(index.hasText('a')).toBe(true);
    const hits = index.query('ngan sach', ['a']);
    expect(hits.map((h) => [h.sha256, h.page])).toEqual([['a', 3], ['a', 1]]);
    expect(hits[0]!.rank).toBeLessThan(hits[1]!.rank);
    expect(hits[1]).toMatchObject({ snippet: 'Dự toán ngân sách.', marks: [[8, 12], [13, 17]] });
    // A file not allowed is never read, though it matches.
    expect(index.query('bi mat', ['a'])).toEqual([]);
    expect(index.query('bi mat', ['a', 'b']).map((h) => h.sha256)).toEqual(['b']);
    expect(index.query('ngan', ['a', 'b'], 1)).toHaveLength(1);
    expect(index.query('ngan', [])).toEqual([]);
    expect(index.query('"', ['a'])).toEqual([]);
  });

  it('marks a file with no text as no-text, a failed one as failed, and forgets on drop', () => {
    const { db, index } = make(file(), true);
    index.putPages('scan', ['', '  ', '\n']);
    expect(index.status('scan')).toBe('no-text');
    index.putPages('bad', ['something']);
    index.markFailed('bad', 'the PDF could not be read');
    expect(index.status('bad')).toBe('failed');
    expect(index.query('something', ['bad'])).toEqual([]);
    expect(index.statuses(['scan', 'bad', 'none'])).toEqual(new Map([['scan', 'no-text'], ['bad', 'failed']]));
    index.drop('bad');
    expect(index.status('bad')).toBeNull();
    expect(index.status('never')).toBeNull();
    expect((db.prepare('SELECT COUNT(*) AS n FROM search_pages').get() as { n: number }).n).toBe(0);
  });

  it('is idempotent, and a run cut off half way counts as not indexed until it is redone', () => {
    const f = file();
    const { db, index } = make(f, true);
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM search_pages').get() as { n: number }).n;
    index.putPages('a', ['một', 'hai', 'ba']);
    index.putPages('a', ['một', 'hai', 'ba']);
    expect(rows()).toBe(3);
    expect(index.query('hai', ['a'])).toHaveLength(1);
    index.begin('long');
    index.putRange('long', 1, ['trang một', 'trang hai']);
    index.putRange('long', 2, ['trang hai, lần nữa']);
    expect(index.status('long')).toBeNull();
    expect(index.query('trang', ['long']).map((h) => h.page).sort()).toEqual([1, 2]);
    expect(index.query('lan nua', ['long']).map((h) => h.page)).toEqual([2]);
    // Reopened (as after a crash), the unfinished file starts again from nothing.
    db.close();
    open.pop();
    const again = make(f, false).index;
    expect(again.status('long')).toBeNull();
    again.begin('long');
    expect(again.query('trang', ['long'])).toEqual([]);
    again.putRange('long', 1, ['trang một']);
    expect(again.finish('long', 1)).toBe('indexed');
    expect(again.query('trang', ['long']).map((h) => h.page)).toEqual([1]);
    expect(again.query('hai', ['a'])).toHaveLength(1);
  });

  it('keeps the text encrypted at rest when the driver has a key', () => {
    if (!key) return;
    const f = file();
    const { index } = make(f, true);
    index.putPages('a', ['plaintextmarker in a confidential paper']);
    expect(fs.readFileSync(f).includes(Buffer.from('plaintextmarker'))).toBe(false);
  });
});

describe('RecordIndex', () => {
  it('keeps one entry per kind and id, finds entries of the allowed meetings only, and removes by kind', () => {
    const db = openDatabase(path.join(tempDir('chamber-records-'), 'hub.sqlite'));
    open.push(db);
    searchTables(db);
    const records = new RecordIndex(db);
    records.put({ kind: 'agenda', meetingId: 'm1', agendaItemId: 'i1', refId: 'i1', text: 'Ngân sách 2027' });
    records.put({ kind: 'conclusion', meetingId: 'm1', agendaItemId: 'i1', refId: 'i1', text: 'Thông qua dự toán ngân sách' });
    records.put({ kind: 'decision', meetingId: 'm2', agendaItemId: 'i9', refId: 'd1', text: 'Nghị quyết về ngân sách' });
    records.put({ kind: 'decision', meetingId: 'm2', agendaItemId: 'i9', refId: 'd1', text: 'Nghị quyết về đầu tư' });
    expect(records.query('ngan sach', ['m1'], 50).map((r) => [r.kind, r.refId]).sort()).toEqual([['agenda', 'i1'], ['conclusion', 'i1']]);
    expect(records.query('ngan sach', ['m2'], 50)).toEqual([]);
    expect(records.query('dau tu', ['m1', 'm2'], 50).map((r) => [r.kind, r.refId, r.snippet])).toEqual([['decision', 'd1', 'Nghị quyết về đầu tư']]);
    records.remove('i1', 'conclusion');
    expect(records.query('ngan sach', ['m1'], 50).map((r) => r.kind)).toEqual(['agenda']);
    records.put({ kind: 'agenda', meetingId: 'm1', agendaItemId: 'i1', refId: 'i1', text: '  ' });
    expect(records.query('ngan sach', ['m1'], 50)).toEqual([]);
    records.replaceAll('m1', 'agenda', [{ refId: 'i2', agendaItemId: 'i2', text: 'Khai mạc' }]);
    expect(records.list('m1', 'agenda')).toEqual([{ refId: 'i2', agendaItemId: 'i2', text: 'Khai mạc' }]);
  });
});
