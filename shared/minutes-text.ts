// The minutes' own words, Vietnamese first (the layout a biên bản has) and a faithful English
// translation. Kept apart from the app's i18n catalogues: these print into a document the hub
// makes, so the hub and the console's preview must read the same table. `{name}` is filled in.

const vi = {
  partyName: 'ĐẢNG CỘNG SẢN VIỆT NAM',
  stateName: 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto: 'Độc lập - Tự do - Hạnh phúc',
  numberParty: 'Số {n}',
  numberState: 'Số: {n}',
  dateLine: '{place}ngày {d} tháng {m} năm {y}',
  draft: 'DỰ THẢO',
  title: 'BIÊN BẢN',
  time: 'Thời gian',
  opened: 'bắt đầu lúc {time}, ngày {d} tháng {m} năm {y}.',
  clock: '{h} giờ {min}',
  location: 'Địa điểm',
  content: 'Nội dung',
  chair: 'Chủ trì',
  secretary: 'Thư ký',
  documents: 'Tài liệu',
  pages: '{n} trang',
  attendance: 'THÀNH PHẦN THAM DỰ',
  attendanceSummary: 'Tổng số thành viên: {members}; có mặt: {present}; vắng mặt: {absent}.',
  present: 'Có mặt',
  absent: 'Vắng mặt',
  guests: 'Khách mời',
  colNo: 'STT',
  colName: 'Họ và tên',
  colRole: 'Chức danh',
  colRemarks: 'Ghi chú',
  colReason: 'Lý do',
  role_chair: 'Chủ trì',
  role_secretary: 'Thư ký',
  role_delegate: 'Thành viên',
  remote: 'dự trực tuyến',
  late: 'đến muộn',
  leftEarly: 'về trước khi kết thúc',
  excused: 'vắng có lý do',
  unexcused: 'vắng không có lý do',
  proceedings: 'DIỄN BIẾN CUỘC HỌP',
  presenter: 'Trình bày',
  speakers: 'Ý kiến phát biểu (theo thứ tự)',
  kind_point_of_order: 'kiến nghị về thủ tục',
  kind_reply: 'trả lời',
  summary: 'Tóm tắt thảo luận',
  conclusion: 'Kết luận của chủ trì',
  deferred: 'Nội dung này được hoãn sang phiên họp khác.',
  withdrawn: 'Nội dung này được rút khỏi chương trình.',
  vote: 'Biểu quyết “{title}”{secret}: tán thành {yes}, không tán thành {no}, không biểu quyết {noVote}. Kết quả: {result}.',
  election: 'Bầu cử “{title}”{secret}: {options}. Kết quả: {result}.',
  secret: ' (bỏ phiếu kín)',
  share: '{n}/{base} ({p}%)',
  passed: 'thông qua',
  failed: 'không thông qua',
  noQuorum: 'không đủ túc số, chưa quyết định',
  elected: 'trúng cử',
  notElected: 'không trúng cử',
  noneElected: 'không ai trúng cử',
  kind_resolution: 'Nghị quyết',
  kind_conclusion: 'Kết luận',
  kind_approval: 'Thông qua',
  dissent: 'Ý kiến bảo lưu — {name}: {text}',
  votes: 'KẾT QUẢ BIỂU QUYẾT',
  colMotion: 'Nội dung biểu quyết',
  colYes: 'Tán thành',
  colNo_: 'Không tán thành',
  colNoVote: 'Không biểu quyết',
  colResult: 'Kết quả',
  actions: 'PHÂN CÔNG THỰC HIỆN',
  colTask: 'Nội dung công việc',
  colOwner: 'Chủ trì thực hiện',
  colCoUnits: 'Phối hợp',
  colDue: 'Thời hạn',
  notes: 'CÁC Ý KIẾN KHÁC',
  closed: 'Cuộc họp kết thúc lúc {time}, ngày {d} tháng {m} năm {y}.',
  closedUnknown: 'Cuộc họp kết thúc lúc … giờ … phút.',
  readOut: 'Biên bản đã được đọc lại trước cuộc họp và được các thành viên dự họp nhất trí thông qua.',
  signSecretary: 'THƯ KÝ',
  signChairParty: 'CHỦ TRÌ',
  signChairState: 'CHỦ TỌA',
  signNote: '(Ký, ghi rõ họ tên)',
  blank: '…',
  paperTitle: 'Biên bản họp số {n}',
};

export type MinutesTextKey = keyof typeof vi;

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const en: Record<MinutesTextKey, string> = {
  partyName: 'COMMUNIST PARTY OF VIETNAM',
  stateName: 'SOCIALIST REPUBLIC OF VIETNAM',
  motto: 'Independence - Freedom - Happiness',
  numberParty: 'No. {n}',
  numberState: 'No. {n}',
  dateLine: '{place}{d} {month} {y}',
  draft: 'DRAFT',
  title: 'MINUTES',
  time: 'Time',
  opened: 'opened at {time} on {d} {month} {y}.',
  clock: '{hh}:{min}',
  location: 'Place',
  content: 'Subject',
  chair: 'Chaired by',
  secretary: 'Secretary',
  documents: 'Documents',
  pages: '{n} pages',
  attendance: 'ATTENDANCE',
  attendanceSummary: 'Members: {members}; present: {present}; absent: {absent}.',
  present: 'Present',
  absent: 'Absent',
  guests: 'Guests',
  colNo: 'No.',
  colName: 'Full name',
  colRole: 'Role',
  colRemarks: 'Remarks',
  colReason: 'Reason',
  role_chair: 'Chair',
  role_secretary: 'Secretary',
  role_delegate: 'Member',
  remote: 'attending remotely',
  late: 'arrived late',
  leftEarly: 'left before the close',
  excused: 'excused',
  unexcused: 'without excuse',
  proceedings: 'PROCEEDINGS',
  presenter: 'Presented by',
  speakers: 'Speakers, in order',
  kind_point_of_order: 'point of order',
  kind_reply: 'reply',
  summary: 'Summary of the discussion',
  conclusion: 'The chair’s conclusion',
  deferred: 'This item was deferred to another meeting.',
  withdrawn: 'This item was withdrawn from the agenda.',
  vote: 'Vote “{title}”{secret}: in favour {yes}, against {no}, not voting {noVote}. Result: {result}.',
  election: 'Election “{title}”{secret}: {options}. Result: {result}.',
  secret: ' (secret ballot)',
  share: '{n}/{base} ({p}%)',
  passed: 'carried',
  failed: 'not carried',
  noQuorum: 'no quorum, nothing decided',
  elected: 'elected',
  notElected: 'not elected',
  noneElected: 'nobody elected',
  kind_resolution: 'Resolution',
  kind_conclusion: 'Conclusion',
  kind_approval: 'Approval',
  dissent: 'Reserved opinion — {name}: {text}',
  votes: 'VOTING RESULTS',
  colMotion: 'Motion',
  colYes: 'In favour',
  colNo_: 'Against',
  colNoVote: 'Not voting',
  colResult: 'Result',
  actions: 'ACTION ITEMS',
  colTask: 'Task',
  colOwner: 'Responsible',
  colCoUnits: 'In cooperation with',
  colDue: 'Due',
  notes: 'OTHER MATTERS',
  closed: 'The meeting closed at {time} on {d} {month} {y}.',
  closedUnknown: 'The meeting closed at … .',
  readOut: 'These minutes were read out to the meeting and agreed by the members present.',
  signSecretary: 'SECRETARY',
  signChairParty: 'CHAIR',
  signChairState: 'CHAIR',
  signNote: '(signature and full name)',
  blank: '…',
  paperTitle: 'Minutes No. {n}',
};

export const MINUTES_TEXT = { vi, en } as const;

/** One entry, with `{name}` filled from `vars` (a missing value stays as written, so a gap shows). */
export function minutesText(lang: 'vi' | 'en', key: MinutesTextKey, vars: Record<string, string | number> = {}): string {
  return MINUTES_TEXT[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A day and a time in the minutes' time zone, as the words above need them. */
export interface WallClock {
  d: number;
  m: number;
  month: string;
  y: number;
  h: number;
  hh: string;
  min: string;
}

export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const m = get('month');
  const h = get('hour');
  return { d: get('day'), m, month: MONTHS_EN[m - 1] ?? '', y: get('year'), h, hh: String(h).padStart(2, '0'), min: String(get('minute')).padStart(2, '0') };
}

/** A calendar day (YYYY-MM-DD) as the minutes print it: "15/12/2026", "15 December 2026". */
export function formatDay(lang: 'vi' | 'en', iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return lang === 'vi' ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}` : `${d} ${MONTHS_EN[m - 1] ?? m} ${y}`;
}

/** 75 → "75", 66.67 → "66,67" in Vietnamese and "66.67" in English. */
export function formatPercent(lang: 'vi' | 'en', p: number): string {
  const s = String(p);
  return lang === 'vi' ? s.replace('.', ',') : s;
}
