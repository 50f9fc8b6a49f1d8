// The minutes' flow on the real hub process: who may take each step and in which order (every
// refusal a 403 or a 409 with its code, nothing changed), the status in the live document, issue
// (the number, the sha256 of the very bytes served, the paper with those bytes, the record
// locked, everything after refused), a restart and a kill -9 keeping all of it, and a kill -9 in
// the middle of an issue leaving either the issued minutes with their paper or approved ones
// without.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubIn } from './hub-helpers.ts';
import { liveDoc, openRoom, signInAll, type Room } from './procedures-polls-helpers.ts';
import { docxText, download, expectCall, holdMeeting, minutesPath, pdfText, sha256, unzip } from './minutes-helpers.ts';
import { waitFor, type YClient } from '../helpers/yclient.ts';
import { liveMap } from '../../shared/live-doc.ts';
import { MINUTES_LIVE_KEY, minutesStatusSchema, minutesViewSchema, type MinutesView } from '../../shared/minutes.ts';
import { RECORD_LOCKED } from '../../shared/records.ts';

let room: Room;
let watch: YClient;

beforeAll(async () => {
  room = await openRoom();
  await holdMeeting(room);
  watch = await liveDoc(room, 'delegate3');
}, 120_000);
afterAll(async () => {
  watch?.destroy();
  await room?.hub.stop();
});

const view = async (login = 'secretary') => minutesViewSchema.parse(await expectCall<MinutesView>(room, login, 'GET', minutesPath(room), 200));
const refused = async (login: string, method: string, step: string, status: number, code: string, body?: unknown) => {
  const r = await room.call<{ error: string }>(login, method, minutesPath(room, step), body);
  expect(r.status, `${login} ${method} ${step}: ${JSON.stringify(r.body)}`).toBe(status);
  expect(r.body.error).toBe(code);
};
const liveStatus = () => minutesStatusSchema.safeParse(liveMap(watch.doc, 'minutes').get(MINUTES_LIVE_KEY)).data ?? null;
const audit = async () => (await expectCall<Array<{ action: string; target: string | null; user_id: string | null }>>(room, 'admin', 'GET', '/api/audit', 200))
  .filter((r) => r.action.startsWith('minutes.') && r.target === room.meetingId);

/** A second meeting run by the same secretary and chair, its minutes approved and ready to issue. */
async function approvedMeeting(title: string, fields: Record<string, unknown> = {}): Promise<string> {
  const m = await expectCall<{ id: string }>(room, 'secretary', 'POST', '/api/meetings', 201, { title, startsAt: '2026-12-03T14:00:00+07:00', room: 'Phòng họp B' });
  await expectCall(room, 'secretary', 'PUT', `/api/meetings/${m.id}/participants/${room.ids.get('chair')}`, 200, { role: 'chair' });
  if (Object.keys(fields).length) await expectCall(room, 'secretary', 'PUT', `/api/meetings/${m.id}/minutes`, 200, fields);
  await expectCall(room, 'secretary', 'POST', `/api/meetings/${m.id}/minutes/submit`, 200);
  await expectCall(room, 'chair', 'POST', `/api/meetings/${m.id}/minutes/approve`, 200);
  return m.id;
}

describe('the flow: draft → read out → submitted → approved → issued', () => {
  it('lets each step be taken only by its role and only in order, saying why with a code', async () => {
    await expectCall(room, 'secretary', 'PUT', minutesPath(room), 200, { variant: 'party', orgName: 'Đảng uỷ Văn phòng', numberSuffix: 'BB/VPTW', place: 'Hà Nội' });
    await refused('delegate1', 'POST', 'submit', 403, 'forbidden');
    await refused('chair', 'PUT', '', 403, 'forbidden', { place: 'Huế' });
    await refused('chair', 'POST', 'submit', 403, 'forbidden');
    await refused('chair', 'POST', 'approve', 409, 'minutes_state');
    await refused('secretary', 'POST', 'issue', 409, 'minutes_state', {});
    await refused('secretary', 'POST', 'reopen', 409, 'minutes_state', {});

    expect((await expectCall<MinutesView>(room, 'secretary', 'POST', minutesPath(room, 'read-out'), 200)).state).toBe('read_out');
    await refused('secretary', 'PUT', '', 409, 'minutes_state', { place: 'Huế' });
    expect((await expectCall<MinutesView>(room, 'secretary', 'POST', minutesPath(room, 'submit'), 200)).state).toBe('submitted');
    await refused('secretary', 'POST', 'submit', 409, 'minutes_state');
    await refused('secretary', 'POST', 'approve', 403, 'forbidden');
    const approved = await expectCall<MinutesView>(room, 'chair', 'POST', minutesPath(room, 'approve'), 200);
    expect(approved.state).toBe('approved');
    expect(approved.approved?.by).toBe(room.ids.get('chair'));
    await waitFor(() => liveStatus()?.state === 'approved', 10_000, 'approved in the live document');

    // Reopened: a draft again, every later step to be taken again.
    const reopened = await expectCall<MinutesView>(room, 'chair', 'POST', minutesPath(room, 'reopen'), 200, { reason: 'sửa tên khách mời' });
    expect(reopened).toMatchObject({ state: 'draft', readOut: null, submitted: null, approved: null });
    await waitFor(() => liveStatus()?.state === 'draft', 10_000, 'draft again in the live document');
    await expectCall(room, 'secretary', 'PUT', minutesPath(room), 200, { guests: [{ name: 'Hoàng Văn Nam', position: 'Phó Vụ trưởng' }] });
    await expectCall(room, 'secretary', 'POST', minutesPath(room, 'read-out'), 200);
    await expectCall(room, 'secretary', 'POST', minutesPath(room, 'submit'), 200);
    await expectCall(room, 'chair', 'POST', minutesPath(room, 'approve'), 200);

    expect((await audit()).map((r) => r.action).reverse()).toEqual([
      'minutes.edit', 'minutes.read_out', 'minutes.submit', 'minutes.approve', 'minutes.reopen', 'minutes.edit', 'minutes.read_out', 'minutes.submit', 'minutes.approve',
    ]);
  });

  it('issues: a number, the sha256 of the bytes served, a paper of the meeting with those bytes', async () => {
    const before = await view();
    const issued = minutesViewSchema.parse(await expectCall<MinutesView>(room, 'secretary', 'POST', minutesPath(room, 'issue'), 200, {}));
    expect(issued.state).toBe('issued');
    const i = issued.issued!;
    expect(i.number).toBe('1-BB/VPTW');
    expect(i.lang).toBe('vi');
    expect(issued.rev).toBe(before.rev + 1);
    await waitFor(() => liveStatus()?.state === 'issued', 10_000, 'issued in the live document');
    expect(liveStatus()).toEqual({ state: 'issued', rev: issued.rev, number: '1-BB/VPTW', sha256: i.sha256, paperId: i.paperId });

    // Once issued, every participant reads them; the served PDF is the hashed one.
    const d = await download(room, 'delegate1', '?format=pdf&lang=vi');
    expect(d.status).toBe(200);
    expect(sha256(d.bytes)).toBe(i.sha256);
    expect(d.bytes.length).toBe(i.size);
    expect(d.disposition).toContain('filename="bien-ban-1-BB-VPTW.pdf"');
    const { text } = await pdfText(d.bytes);
    expect(text).toContain('Số 1-BB/VPTW');
    expect(text).toContain('Biên bản đã được đọc lại trước cuộc họp');
    expect(text).not.toContain('DỰ THẢO');

    const papers = await expectCall<Array<{ id: string; title: string; sha256?: string }>>(room, 'delegate2', 'GET', `/api/meetings/${room.meetingId}/papers`, 200);
    expect(papers.find((p) => p.id === i.paperId)?.title).toBe('Biên bản họp số 1-BB/VPTW');
    const blob = await fetch(`${room.hub.url}/api/blobs/${i.sha256}`, { headers: { authorization: `Bearer ${room.tokens.get('delegate3')}` } });
    expect(blob.status).toBe(200);
    expect(sha256(Buffer.from(await blob.arrayBuffer()))).toBe(i.sha256);
    expect((await audit())[0]).toMatchObject({ action: 'minutes.issue', user_id: room.ids.get('secretary') });
  });

  it('locks them and the record after issue; the English and DOCX forms come from the frozen model', async () => {
    const issued = await view('delegate1');
    await refused('secretary', 'PUT', '', 409, 'minutes_issued', { place: 'Huế' });
    await refused('chair', 'POST', 'reopen', 409, 'minutes_issued', {});
    await refused('secretary', 'POST', 'issue', 409, 'minutes_issued', {});
    await refused('secretary', 'POST', 'submit', 409, 'minutes_issued');
    await refused('secretary', 'POST', 'read-out', 409, 'minutes_issued');
    const outcome = await room.call<{ error: string }>('chair', 'PUT', `/api/meetings/${room.meetingId}/items/item-budget/outcome`, { status: 'concluded', conclusion: 'khác' });
    expect(outcome.status).toBe(409);
    expect(outcome.body.error).toBe(RECORD_LOCKED);

    // The meeting goes on changing; the issued minutes do not.
    await expectCall(room, 'secretary', 'POST', `/api/meetings/${room.meetingId}/attendance`, 200, { status: 'left', userId: room.ids.get('delegate3') });
    const later = await view('delegate1');
    expect(later.model).toEqual(issued.model);
    expect(sha256((await download(room, 'delegate2', '')).bytes)).toBe(issued.issued!.sha256);
    const en = await pdfText((await download(room, 'delegate2', '?lang=en')).bytes);
    expect(en.text).toContain('No. 1-BB/VPTW');
    expect(en.text).not.toContain('left before the close');
    expect(en.text).not.toContain('DRAFT');
    const docx = docxText(unzip((await download(room, 'delegate2', '?format=docx')).bytes).get('word/document.xml')!.toString('utf8'));
    expect(docx).toContain('Số 1-BB/VPTW');
    expect(docx).not.toContain('về trước khi kết thúc');
  });

  it('records the sha256 of the file signed outside Chamber, once', async () => {
    const signedSha = 'ab'.repeat(32);
    await refused('delegate1', 'POST', 'signature', 403, 'forbidden', { sha256: signedSha });
    await refused('chair', 'POST', 'signature', 400, 'bad_request', { sha256: 'AB'.repeat(32) });
    const signed = await expectCall<MinutesView>(room, 'chair', 'POST', minutesPath(room, 'signature'), 200, { sha256: signedSha });
    expect(signed.signed).toMatchObject({ sha256: signedSha, by: room.ids.get('chair') });
    expect(signed.issued).toEqual((await view()).issued);
    await refused('secretary', 'POST', 'signature', 409, 'signature_recorded', { sha256: 'cd'.repeat(32) });
  });

  it('numbers issued minutes in sequence and refuses a number already issued', async () => {
    const second = await approvedMeeting('Phiên họp tháng 12');
    const two = await expectCall<MinutesView>(room, 'chair', 'POST', `/api/meetings/${second}/minutes/issue`, 200, { lang: 'en' });
    expect(two.issued).toMatchObject({ number: '2-BB/VPTW', lang: 'en' });
    const third = await approvedMeeting('Phiên họp bất thường', { number: 2 });
    const taken = await room.call<{ error: string }>('chair', 'POST', `/api/meetings/${third}/minutes/issue`, {});
    expect(taken.status).toBe(409);
    expect(taken.body.error).toBe('number_taken');
    expect((await expectCall<MinutesView>(room, 'secretary', 'GET', `/api/meetings/${third}/minutes`, 200)).state).toBe('approved');
  });

  it('keeps everything across a restart and a kill -9 right after an issue', async () => {
    const before = await view();
    await room.hub.stop();
    room.hub = await startHubIn(room.hub.dataDir);
    await signInAll(room, ['secretary', 'chair', 'delegate1', 'admin']);
    const after = await view('delegate1');
    expect(after).toMatchObject({ state: 'issued', rev: before.rev, issued: before.issued, signed: before.signed });
    expect(sha256((await download(room, 'delegate1', '')).bytes)).toBe(before.issued!.sha256);

    const next = await approvedMeeting('Phiên họp chuyên đề');
    const issued = await expectCall<MinutesView>(room, 'secretary', 'POST', `/api/meetings/${next}/minutes/issue`, 200, {});
    await room.hub.kill9();
    room.hub = await startHubIn(room.hub.dataDir);
    await signInAll(room, ['secretary', 'chair', 'delegate1', 'admin']);
    const kept = await expectCall<MinutesView>(room, 'secretary', 'GET', `/api/meetings/${next}/minutes`, 200);
    expect(kept.issued).toEqual(issued.issued);
    const papers = await expectCall<Array<{ id: string }>>(room, 'secretary', 'GET', `/api/meetings/${next}/papers`, 200);
    expect(papers.map((p) => p.id)).toContain(issued.issued!.paperId);
  });

  it('leaves, after a kill -9 during an issue, the issued minutes with their paper or approved ones without', async () => {
    const m = await approvedMeeting('Phiên họp đột xuất');
    const sent = room.call('secretary', 'POST', `/api/meetings/${m}/minutes/issue`, {}).catch(() => null);
    await room.hub.kill9();
    await sent;
    room.hub = await startHubIn(room.hub.dataDir);
    await signInAll(room, ['secretary', 'chair', 'delegate1', 'admin']);
    const state = await expectCall<MinutesView>(room, 'secretary', 'GET', `/api/meetings/${m}/minutes`, 200);
    const papers = await expectCall<Array<{ id: string; title: string }>>(room, 'secretary', 'GET', `/api/meetings/${m}/papers`, 200);
    if (state.state === 'issued') {
      expect(papers.map((p) => p.id)).toEqual([state.issued!.paperId]);
      expect(sha256((await fetch(`${room.hub.url}/api/blobs/${state.issued!.sha256}`, { headers: { authorization: `Bearer ${room.tokens.get('secretary')}` } }).then((r) => r.arrayBuffer()).then((b) => Buffer.from(b))))).toBe(state.issued!.sha256);
    } else {
      expect(state).toMatchObject({ state: 'approved', issued: null });
      expect(papers).toEqual([]);
      // And it can be issued now.
      expect((await expectCall<MinutesView>(room, 'secretary', 'POST', `/api/meetings/${m}/minutes/issue`, 200, {})).state).toBe('issued');
    }
  });
});
