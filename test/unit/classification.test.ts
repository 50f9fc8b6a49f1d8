// The classification contract (shared/classification.ts) and the level's place in the meeting
// document (shared/meeting-doc.ts): the lists an admin may and may not set, the strictest rules
// for a level a reader does not know, the watermark's text, and the level written and read back
// through Yjs as a device receives it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  classificationLevelsSchema, DEFAULT_LEVELS, putClassificationLevelsSchema, resolveLevel, UNKNOWN_LEVEL_RULES, watermarkLines,
} from '../../shared/classification.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

const version = { version: 1, sha256: 'a'.repeat(64), pages: 3, size: 10, fileName: 'x.pdf', createdAt: '2026-11-29T00:00:00.000Z' };

describe('the levels\' list', () => {
  it('takes the defaults and refuses duplicates, a list without normal, and unknown fields in a PUT', () => {
    expect(putClassificationLevelsSchema.safeParse(DEFAULT_LEVELS).success).toBe(true);
    expect(putClassificationLevelsSchema.safeParse([...DEFAULT_LEVELS, DEFAULT_LEVELS[1]]).success).toBe(false);
    expect(putClassificationLevelsSchema.safeParse(DEFAULT_LEVELS.slice(1)).success).toBe(false);
    expect(putClassificationLevelsSchema.safeParse([{ ...DEFAULT_LEVELS[0], printAlowed: true }]).success).toBe(false);
    expect(putClassificationLevelsSchema.safeParse([{ ...DEFAULT_LEVELS[0], name: { en: 'Normal', vi: 'Thường', fr: 'Normal' } }]).success).toBe(false);
    // Answers are read leniently: a rule added by a later hub does not break an older reader.
    const later = classificationLevelsSchema.parse([{ ...DEFAULT_LEVELS[0], screenshotsAllowed: false }]);
    expect(later[0]).toEqual(DEFAULT_LEVELS[0]);
  });
});

describe('resolveLevel', () => {
  it('finds a configured level, and holds an unknown one to the strictest rules', () => {
    expect(resolveLevel(DEFAULT_LEVELS, 'secret')).toBe(DEFAULT_LEVELS[2]);
    expect(resolveLevel(DEFAULT_LEVELS, undefined)).toBe(DEFAULT_LEVELS[0]);
    const unknown = resolveLevel(DEFAULT_LEVELS, 'cosmic');
    expect(unknown).toMatchObject({ id: 'cosmic', name: { en: 'cosmic', vi: 'cosmic' }, ...UNKNOWN_LEVEL_RULES });
    expect(unknown.exportAllowed || unknown.printAllowed || !unknown.watermark).toBe(false);
  });
});

describe('watermarkLines', () => {
  it('names the reader, their login, the device and the time with its offset', () => {
    const at = Date.UTC(2026, 10, 29, 7, 13);
    const [who, where] = watermarkLines({ name: 'Lê Minh Tuấn', login: 'delegate1', deviceId: 'tablet-07', at });
    expect(who).toBe('Lê Minh Tuấn (delegate1)');
    expect(where).toMatch(/^device tablet-07 · \d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d$/);
    // The local time and offset agree with the moment.
    const m = where.match(/(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d) ([+-])(\d\d):(\d\d)$/)!;
    const offset = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
    expect(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) - offset * 60_000).toBe(at);
    expect(watermarkLines({ name: 'A', login: 'a', deviceId: null, at })[1]).toMatch(/^no device · /);
  });
});

describe('the level in the meeting document', () => {
  it('is written with its rules, changed, and read back by a replica; a paper written before levels reads as normal', () => {
    const hub = new Y.Doc();
    meetingDoc.putPaperVersion(hub, 'p1', 'Budget', version);
    meetingDoc.putPaperVersion(hub, 'p0', 'Old paper', version);
    meetingDoc.setPaperLevel(hub, 'p1', DEFAULT_LEVELS[1]!);
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(hub));
    expect(meetingDoc.readPaper(device, 'p1')).toMatchObject({ level: 'confidential', classification: DEFAULT_LEVELS[1] });
    expect(meetingDoc.readPaper(device, 'p0')).toMatchObject({ level: 'normal', classification: null });

    const before = Y.encodeStateVector(hub);
    meetingDoc.setPaperLevel(hub, 'p1', DEFAULT_LEVELS[1]!);
    // The same level again writes nothing (no update for every device).
    expect(Y.encodeStateAsUpdate(hub, before).length).toBeLessThanOrEqual(2);
    meetingDoc.setPaperLevel(hub, 'p1', DEFAULT_LEVELS[2]!);
    Y.applyUpdate(device, Y.encodeStateAsUpdate(hub, Y.encodeStateVector(device)));
    expect(meetingDoc.readPaper(device, 'p1')).toMatchObject({ level: 'secret', classification: DEFAULT_LEVELS[2] });
    // No entry, nothing written: a restricted paper is not in the document.
    meetingDoc.setPaperLevel(hub, 'nope', DEFAULT_LEVELS[2]!);
    expect(meetingDoc.papersMap(hub).has('nope')).toBe(false);
  });

  it('reads a malformed classification as none, keeping the level id', () => {
    const doc = new Y.Doc();
    meetingDoc.putPaperVersion(doc, 'p1', 'Budget', version);
    meetingDoc.papersMap(doc).get('p1')!.set('level', 'secret');
    meetingDoc.papersMap(doc).get('p1')!.set('classification', { id: 'secret', watermark: 'yes' });
    expect(meetingDoc.readPaper(doc, 'p1')).toMatchObject({ level: 'secret', classification: null });
  });
});
