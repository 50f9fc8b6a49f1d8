// Seeds, once, the demo room: the brief's demo accounts (password `demo`), one published
// meeting with an agenda whose items carry papers, and one paper on no agenda item yet.
import type { Hub } from './hub.ts';
import { hashPassword } from './passwords.ts';
import { DEMO_PAPERS, makeDemoPdf } from './demo-papers.ts';
import { createLiveWriter } from './live-writer.ts';
import { refreshAttendance } from './procedures/attendance-mirror.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import type { AccountRole, MeetingRole } from '../../shared/roles.ts';

const DEMO_ACCOUNTS: Array<{ login: string; name: string; role: AccountRole; meetingRole: MeetingRole | null }> = [
  { login: 'admin', name: 'Quản trị viên', role: 'admin', meetingRole: null },
  { login: 'secretary', name: 'Trần Thị Hương', role: 'secretary', meetingRole: 'secretary' },
  { login: 'chair', name: 'Nguyễn Văn Đức', role: 'chair', meetingRole: 'chair' },
  { login: 'delegate1', name: 'Lê Minh Tuấn', role: 'delegate', meetingRole: 'delegate' },
  { login: 'delegate2', name: 'Phạm Thu Hà', role: 'delegate', meetingRole: 'delegate' },
  { login: 'delegate3', name: 'Đặng Quốc Việt', role: 'delegate', meetingRole: 'delegate' },
];

export const DEMO_MEETING_TITLE = 'Phiên họp Hội đồng tháng 11 / Council meeting, November';

export async function seedDemo(hub: Hub): Promise<{ seeded: boolean; meetingId: string | null }> {
  if (hub.db.getMeta('demo-seeded')) return { seeded: false, meetingId: hub.db.getMeta('demo-meeting') };
  const pwHash = await hashPassword('demo');
  const ids: Record<string, string> = {};
  for (const a of DEMO_ACCOUNTS) {
    const existing = hub.db.accountByLogin(a.login);
    ids[a.login] = existing ? existing.id : hub.db.createAccount({ login: a.login, name: a.name, role: a.role, pwHash }).id;
  }
  const meeting = hub.db.createMeeting({ title: DEMO_MEETING_TITLE, startsAt: '2026-11-26T09:00:00+07:00', room: 'Phòng họp A / Room A', status: 'published' });
  for (const a of DEMO_ACCOUNTS) if (a.meetingRole) hub.db.setParticipant(meeting.id, ids[a.login]!, a.meetingRole);
  const secretary = { id: ids.secretary!, login: 'secretary', name: 'Trần Thị Hương', role: 'secretary' as const };

  const paperIds: Record<string, string> = {};
  for (const [key, spec] of Object.entries(DEMO_PAPERS)) {
    const bytes = Buffer.from(await makeDemoPdf(spec, key === 'strategy' ? 12 : 0));
    paperIds[key] = (await hub.addPaper(secretary, meeting.id, bytes, { title: spec.title, fileName: spec.fileName })).id;
  }
  hub.core.withDoc(meetingDocName(meeting.id), (doc) => doc.transact(() => {
    const d = meetingDoc.details(doc);
    d.set('title', meeting.title);
    d.set('startsAt', meeting.starts_at);
    d.set('room', meeting.room);
    d.set('status', meeting.status);
    meetingDoc.addAgendaItem(doc, 'item-opening', { title: 'Khai mạc / Opening', presenter: 'Nguyễn Văn Đức', durationMin: 5, paperIds: [paperIds.minutes!] });
    meetingDoc.addAgendaItem(doc, 'item-budget', { title: 'Ngân sách 2027 / Budget 2027', presenter: 'Trần Thị Hương', durationMin: 30, paperIds: [paperIds.budget!] });
    meetingDoc.addAgendaItem(doc, 'item-digital', { title: 'Chiến lược số / Digital strategy', presenter: 'Lê Minh Tuấn', durationMin: 25, paperIds: [paperIds.strategy!] });
    meetingDoc.addAgendaItem(doc, 'item-other', { title: 'Các vấn đề khác / Any other business', presenter: 'Nguyễn Văn Đức', durationMin: 10, paperIds: [] });
  }, 'hub'));
  // The roll and the quorum figure are on every screen from the start, before anyone checks in.
  refreshAttendance({ core: hub.core, live: createLiveWriter(hub.core), sqlite: hub.db.db }, meeting.id);
  hub.db.setMeta('demo-seeded', new Date().toISOString());
  hub.db.setMeta('demo-meeting', meeting.id);
  return { seeded: true, meetingId: meeting.id };
}
