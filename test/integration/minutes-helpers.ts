// Pieces the minutes' tests share: a meeting run through the real API (check-ins, an excused
// absence, speakers in an order that is not the order they asked in, a published vote and one
// left unpublished, the record), the generated files read back as a reader would — the PDF's
// text through pdf.js, the DOCX as a ZIP opened entry by entry with its CRCs checked.
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { addMember, checkIn, command, createPoll, vote, type Login, type Room } from './procedures-polls-helpers.ts';
import { unzip as unzipEntries } from './archive-helpers.ts';

/** Text with every run of whitespace (line ends included) as one space: a phrase is found across a line break. */
export const flat = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ');

/** Every page's text layer, joined: what a reader (or the search index) gets out of the file. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const task = getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    for (const item of (await (await doc.getPage(n)).getTextContent()).items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    text += '\n';
  }
  const pages = doc.numPages;
  await task.destroy();
  return { pages, text: flat(text) };
}

/** A ZIP's entries by name, read with the archive tests' own reader (CRCs and sizes checked). */
export const unzip = (buf: Buffer): Map<string, Buffer> => new Map(unzipEntries(buf).map((e) => [e.name, e.bytes]));

/** The words of a WordprocessingML part: its <w:t> runs, a space between paragraphs, entities decoded. */
export function docxText(xml: string): string {
  const paras = xml.split('</w:p>').map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
  return flat(paras.join(' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

export const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

export interface Download {
  status: number;
  type: string | null;
  disposition: string | null;
  bytes: Buffer;
}

export async function download(room: Room, login: Login, query: string): Promise<Download> {
  const res = await fetch(`${room.hub.url}/api/meetings/${room.meetingId}/minutes/document${query}`, { headers: { authorization: `Bearer ${room.tokens.get(login)}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

export const minutesPath = (room: Room, step = '') => `/api/meetings/${room.meetingId}/minutes${step ? `/${step}` : ''}`;

/** Calls `login`'s route and expects `status`, returning the body. */
export async function expectCall<T = Record<string, unknown>>(room: Room, login: Login, method: string, path: string, status: number, body?: unknown): Promise<T> {
  const r = await room.call<T>(login, method, path, body);
  expect(r.status, `${login} ${method} ${path}: ${JSON.stringify(r.body).slice(0, 400)}`).toBe(status);
  return r.body;
}

export const ABSENT_NAME = 'Vũ Thị Lan';
export const ABSENT_REASON = 'đi công tác tại Đà Nẵng';
export const CONCLUSION = 'Thông qua dự toán ngân sách năm 2027; giao Văn phòng hoàn thiện hồ sơ trước ngày 15/12/2026.';
export const SUMMARY = 'Các đại biểu thống nhất với tờ trình, đề nghị tăng chi cho chuyển đổi số.';
export const DISSENT = 'Đề nghị giữ mức chi đào tạo như năm 2026.';
export const ACTION = 'Hoàn thiện hồ sơ dự toán ngân sách trình cấp có thẩm quyền';

/**
 * The demo meeting, held: four voting members present (the chair and delegates 1–3), the
 * secretary present, a fifth member excused with a reason; on the budget item delegate 1 asks
 * to speak before delegate 2, the chair puts delegate 2 first; a named vote 3 for, 1 against,
 * published and carried by a decision delegate 2 dissents from; a second vote closed but never
 * published; the chair's conclusion, the secretary's summary and an action item.
 */
export async function holdMeeting(room: Room): Promise<{ pollId: string; unpublishedId: string }> {
  const m = room.meetingId;
  await addMember(room, 'delegate4', { name: ABSENT_NAME });
  await checkIn(room, ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3']);
  await expectCall(room, 'secretary', 'POST', `/api/meetings/${m}/attendance`, 200, { status: 'absent_excused', userId: room.ids.get('delegate4'), reason: ABSENT_REASON });

  await expectCall(room, 'delegate1', 'POST', `/api/meetings/${m}/speakers`, 201, { agendaItemId: 'item-budget' });
  const asked = await expectCall<{ speaker: { id: string } }>(room, 'delegate2', 'POST', `/api/meetings/${m}/speakers`, 201, { agendaItemId: 'item-budget' });
  const list = await expectCall<{ lists: Array<{ agendaItemId: string; waiting: Array<{ id: string }> }> }>(room, 'chair', 'GET', `/api/meetings/${m}/speakers`, 200);
  const waiting = list.lists.find((l) => l.agendaItemId === 'item-budget')!.waiting.map((w) => w.id);
  const reordered = [asked.speaker.id, ...waiting.filter((id) => id !== asked.speaker.id)];
  const control = (body: Record<string, unknown>) => expectCall(room, 'chair', 'POST', `/api/meetings/${m}/speakers/control`, 200, { agendaItemId: 'item-budget', ...body });
  await control({ action: 'reorder', speakerIds: reordered });
  await control({ action: 'next' });
  await control({ action: 'next' });
  await control({ action: 'end' });

  const pollId = await createPoll(room, { title: 'Thông qua dự toán ngân sách 2027', method: 'approval', visibility: 'named', agendaItemId: 'item-budget' });
  await command(room, pollId, 'start');
  for (const [login, value] of [['chair', 'yes'], ['delegate1', 'yes'], ['delegate2', 'no'], ['delegate3', 'yes']] as const) await vote(room, login, pollId, { value });
  await command(room, pollId, 'stop');
  await command(room, pollId, 'publish');
  const unpublishedId = await createPoll(room, { title: 'Phiếu chưa công bố', method: 'approval', visibility: 'secret', agendaItemId: 'item-digital' });
  await command(room, unpublishedId, 'start');
  await vote(room, 'delegate1', unpublishedId, { value: 'yes' });
  await command(room, unpublishedId, 'stop');

  await expectCall(room, 'chair', 'PUT', `/api/meetings/${m}/items/item-budget/outcome`, 200, { status: 'concluded', conclusion: CONCLUSION, summary: SUMMARY });
  const decision = await expectCall<{ id: string }>(room, 'chair', 'POST', `/api/meetings/${m}/decisions`, 201, { agendaItemId: 'item-budget', kind: 'resolution', text: 'Thông qua dự toán ngân sách năm 2027.', pollId });
  await expectCall(room, 'delegate2', 'POST', `/api/decisions/${decision.id}/dissents`, 200, { text: DISSENT });
  await expectCall(room, 'secretary', 'POST', `/api/meetings/${m}/action-items`, 201, {
    decisionId: decision.id, agendaItemId: 'item-budget', title: ACTION, ownerUserId: room.ids.get('secretary'), ownerUnit: 'Văn phòng', coUnits: ['Vụ Tài chính'], dueDate: '2026-12-15',
  });
  await expectCall(room, 'chair', 'PUT', `/api/meetings/${m}/items/item-digital/outcome`, 200, { status: 'deferred' });
  return { pollId, unpublishedId };
}
