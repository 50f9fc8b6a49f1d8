// Tiếng Việt cho phần lưu trữ (renderer/archive/); trải vào vi.ts.
import type { archiveEn } from './en-archive.ts';

export const archiveVi: Record<keyof typeof archiveEn, string> = {
  'archive.closedNotice': 'Cuộc họp đã kết thúc và được lưu trữ: mọi nội dung đều xem được nhưng không thể thay đổi.',
  'archive.heading': 'Lưu trữ',
  'archive.export': 'Xuất hồ sơ cuộc họp',
  'archive.exportDraft': 'Xuất bản nháp hồ sơ',
  'archive.exportHelp': 'Tệp ZIP gồm mọi tài liệu và các phiên bản, điểm danh, kết quả biểu quyết, kết luận và quyết định, chương trình họp và trích xuất nhật ký, kèm bản kê có chữ ký số.',
  'archive.draftHelp': 'Cuộc họp chưa kết thúc: hồ sơ được đánh dấu là bản nháp, chưa phải bản chính thức.',
  'archive.exporting': 'Đang chuẩn bị hồ sơ…',
  'archive.exported': 'Đã lưu hồ sơ: {name}.',
  'archive.keyFingerprint': 'Dấu vân tay khóa của máy chủ: {fp}',
  'archive.reopenReason': 'Lý do mở lại',
  'archive.reopen': 'Mở lại cuộc họp',
  'archive.reopenHelp': 'Chỉ quản trị viên được mở lại cuộc họp đã kết thúc; lý do được ghi vào nhật ký.',
  'archive.reopened': 'Cuộc họp đã được mở lại.',
  'archive.error': 'Không thực hiện được: {msg}',
};
