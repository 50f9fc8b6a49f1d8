// The minutes' content, from a meeting held through the real hub's API: the PDF's text as pdf.js
// reads it (names, the excused absence and its reason, speakers in the order they had the floor,
// the published vote as "tán thành 3/4 (75%)", the dissent, the action item, Vietnamese
// diacritics intact), the English translation, the DOCX as a valid package saying the same, and
// who may read a draft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoom, type Room } from './procedures-polls-helpers.ts';
import {
  ABSENT_NAME, ABSENT_REASON, ACTION, CONCLUSION, DISSENT, SUMMARY, docxText, download, expectCall, flat, holdMeeting, minutesPath, pdfText, unzip,
} from './minutes-helpers.ts';
import { minutesViewSchema, type MinutesView } from '../../shared/minutes.ts';

let room: Room;

beforeAll(async () => {
  room = await openRoom();
  await holdMeeting(room);
  await expectCall(room, 'secretary', 'PUT', minutesPath(room), 200, {
    variant: 'party', orgParent: 'Đảng bộ khối các cơ quan Trung ương', orgName: 'Đảng uỷ Văn phòng', numberSuffix: 'BB/VPTW', place: 'Hà Nội',
    guests: [{ name: 'Hoàng Văn Nam', position: 'Phó Vụ trưởng Vụ Tài chính' }], notes: 'Không có ý kiến khác.',
  });
}, 120_000);
afterAll(async () => {
  await room?.hub.stop();
});

describe('the minutes of a meeting held through the API', () => {
  it('builds the model from attendance, speakers, the published vote and the record', async () => {
    const view = minutesViewSchema.parse(await expectCall<MinutesView>(room, 'secretary', 'GET', minutesPath(room), 200));
    const m = view.model;
    expect(view.state).toBe('draft');
    expect(m.opening.chair).toBe('Nguyễn Văn Đức');
    expect(m.opening.secretary).toBe('Trần Thị Hương');
    expect(m.attendance.members).toBe(6);
    expect(m.attendance.present.map((p) => p.name).sort()).toEqual(['Nguyễn Văn Đức', 'Trần Thị Hương', 'Lê Minh Tuấn', 'Phạm Thu Hà', 'Đặng Quốc Việt'].sort());
    expect(m.attendance.absent).toEqual([{ name: ABSENT_NAME, role: 'delegate', excused: true, reason: ABSENT_REASON }]);
    const budget = m.items.find((i) => i.agendaItemId === 'item-budget')!;
    // The chair put delegate 2 before delegate 1, who had asked first.
    expect(budget.speakers.map((s) => s.name)).toEqual(['Phạm Thu Hà', 'Lê Minh Tuấn']);
    expect(budget).toMatchObject({ status: 'concluded', conclusion: CONCLUSION, summary: SUMMARY, votes: [] });
    expect(budget.decisions).toEqual([{
      kind: 'resolution', text: 'Thông qua dự toán ngân sách năm 2027.',
      vote: expect.objectContaining({ title: 'Thông qua dự toán ngân sách 2027', yes: 3, no: 1, noVote: 0, base: 4, passed: true, secret: false }),
      dissents: [{ name: 'Phạm Thu Hà', text: DISSENT }],
    }]);
    // The closed but unpublished vote is nowhere.
    expect(JSON.stringify(m)).not.toContain('Phiếu chưa công bố');
    expect(m.items.find((i) => i.agendaItemId === 'item-digital')).toMatchObject({ status: 'deferred', votes: [] });
    expect(m.actions).toEqual([{ title: ACTION, owner: 'Trần Thị Hương, Văn phòng', coUnits: ['Vụ Tài chính'], dueDate: '2026-12-15', status: 'open' }]);
    // Every paper of the demo meeting, none restricted.
    expect(m.opening.documents.length).toBe(4);
  });

  it('prints it as a Vietnamese PDF whose text layer holds the names, the figures and the diacritics', async () => {
    const d = await download(room, 'secretary', '?format=pdf&lang=vi');
    expect(d.status).toBe(200);
    expect(d.type).toBe('application/pdf');
    expect(d.disposition).toMatch(/^attachment; filename="bien-ban-du-thao\.pdf"/);
    expect(d.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await pdfText(d.bytes);
    for (const phrase of [
      'ĐẢNG CỘNG SẢN VIỆT NAM', 'ĐẢNG UỶ VĂN PHÒNG', 'Số …-BB/VPTW', 'DỰ THẢO', 'BIÊN BẢN', 'Hà Nội, ngày 26 tháng 11 năm 2026',
      'Thời gian: bắt đầu lúc 9 giờ 00, ngày 26 tháng 11 năm 2026.', 'Chủ trì: Nguyễn Văn Đức', 'Thư ký: Trần Thị Hương',
      'Tổng số thành viên: 6; có mặt: 5; vắng mặt: 1.', `${ABSENT_NAME} Thành viên vắng có lý do: ${ABSENT_REASON}`, 'Đặng Quốc Việt',
      'Ý kiến phát biểu (theo thứ tự): 1. Phạm Thu Hà; 2. Lê Minh Tuấn.',
      'tán thành 3/4 (75%), không tán thành 1/4 (25%), không biểu quyết 0/4 (0%). Kết quả: thông qua.',
      `Kết luận của chủ trì: ${CONCLUSION}`, `Tóm tắt thảo luận: ${SUMMARY}`, `Ý kiến bảo lưu — Phạm Thu Hà: ${DISSENT}`,
      'Nội dung này được hoãn sang phiên họp khác.', ACTION, '15/12/2026', 'Hoàng Văn Nam, Phó Vụ trưởng Vụ Tài chính', 'Không có ý kiến khác.',
      'THƯ KÝ', 'CHỦ TRÌ', '(Ký, ghi rõ họ tên)',
    ]) expect(text, phrase).toContain(flat(phrase));
    expect(text).not.toContain('Phiếu chưa công bố');
  });

  it('prints the English translation in the same layout', async () => {
    const d = await download(room, 'chair', '?format=pdf&lang=en');
    expect(d.status).toBe(200);
    const { text } = await pdfText(d.bytes);
    for (const phrase of [
      'COMMUNIST PARTY OF VIETNAM', 'No. …-BB/VPTW', 'DRAFT', 'MINUTES', 'Hà Nội, 26 November 2026', 'Time: opened at 09:00 on 26 November 2026.',
      'Chaired by: Nguyễn Văn Đức', 'Members: 6; present: 5; absent: 1.', `excused: ${ABSENT_REASON}`, 'Speakers, in order: 1. Phạm Thu Hà; 2. Lê Minh Tuấn.',
      'in favour 3/4 (75%), against 1/4 (25%), not voting 0/4 (0%). Result: carried.', `Reserved opinion — Phạm Thu Hà: ${DISSENT}`,
      'This item was deferred to another meeting.', 'SECRETARY', 'CHAIR',
    ]) expect(text, phrase).toContain(flat(phrase));
  });

  it('writes a DOCX that is a valid package whose document.xml says the same', async () => {
    const d = await download(room, 'secretary', '?format=docx&lang=vi');
    expect(d.status).toBe(200);
    expect(d.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(d.disposition).toMatch(/filename="bien-ban-du-thao\.docx"/);
    const parts = unzip(d.bytes);
    expect([...parts.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'word/styles.xml', 'word/header1.xml']));
    expect(parts.get('[Content_Types].xml')!.toString()).toContain('/word/document.xml');
    const xml = parts.get('word/document.xml')!.toString('utf8');
    expect(xml.startsWith('<?xml')).toBe(true);
    const text = docxText(xml);
    for (const phrase of [
      'ĐẢNG CỘNG SẢN VIỆT NAM', 'BIÊN BẢN', 'Chủ trì: Nguyễn Văn Đức', ABSENT_NAME, ABSENT_REASON, 'Ý kiến phát biểu (theo thứ tự): 1. Phạm Thu Hà; 2. Lê Minh Tuấn.',
      'tán thành 3/4 (75%), không tán thành 1/4 (25%), không biểu quyết 0/4 (0%)', `Ý kiến bảo lưu — Phạm Thu Hà: ${DISSENT}`, ACTION, 'THƯ KÝ',
    ]) expect(text, phrase).toContain(flat(phrase));
  });

  it('prints the state-agency variant (Nghị định 30/2020) when the secretary picks it', async () => {
    await expectCall(room, 'secretary', 'PUT', minutesPath(room), 200, { variant: 'state', orgParent: 'Bộ Nội vụ', orgName: 'Văn phòng Bộ', numberSuffix: 'BB-VP' });
    const { text } = await pdfText((await download(room, 'secretary', '?lang=vi')).bytes);
    for (const phrase of ['CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'BỘ NỘI VỤ', 'VĂN PHÒNG BỘ', 'Số: …/BB-VP', 'CHỦ TỌA']) expect(text, phrase).toContain(phrase);
    expect(text).not.toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    await expectCall(room, 'secretary', 'PUT', minutesPath(room), 200, { variant: 'party', orgParent: 'Đảng bộ khối các cơ quan Trung ương', orgName: 'Đảng uỷ Văn phòng', numberSuffix: 'BB/VPTW' });
  });

  it('keeps a draft from delegates, refuses outsiders, and answers bad input with 400 and nothing changed', async () => {
    expect((await room.call('delegate1', 'GET', minutesPath(room))).status).toBe(403);
    expect((await download(room, 'delegate1', '?format=pdf')).status).toBe(403);
    expect((await room.call('delegate1', 'PUT', minutesPath(room), { place: 'Huế' })).status).toBe(403);
    const before = await expectCall<MinutesView>(room, 'secretary', 'GET', minutesPath(room), 200);
    for (const bad of [{ variant: 'federal' }, { numberSuffix: 'BB VP' }, { timeZone: 'Mars/Olympus' }, { notes: 'x'.repeat(20_001) }, { place: 'Huế', extra: 1 }, { number: 0 }]) {
      const r = await room.call<{ error: string; message: string }>('secretary', 'PUT', minutesPath(room), bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error).toBe('bad_request');
    }
    expect((await download(room, 'secretary', '?format=odt')).status).toBe(400);
    expect((await download(room, 'secretary', '?lang=fr')).status).toBe(400);
    const after = await expectCall<MinutesView>(room, 'secretary', 'GET', minutesPath(room), 200);
    expect(after.rev).toBe(before.rev);
    expect(after.fields).toEqual(before.fields);
    // Someone who takes no part in the meeting learns nothing of it.
    await expectCall(room, 'admin', 'POST', '/api/accounts', 201, { login: 'outsider', name: 'Người ngoài', role: 'delegate', password: 'demo-password-1' });
    const outsider = await (await fetch(`${room.hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'outsider', password: 'demo-password-1' }) })).json() as { token: string };
    const res = await fetch(`${room.hub.url}${minutesPath(room)}`, { headers: { authorization: `Bearer ${outsider.token}` } });
    expect(res.status).toBe(404);
  });
});
