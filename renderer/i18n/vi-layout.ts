// Vietnamese for the app shell and the meeting screen's layout, spread into vi.ts; the type
// forces a translation of every key of en-layout.ts.
import type { layoutEn } from './en-layout.ts';

export const layoutVi: Record<keyof typeof layoutEn, string> = {
  'layout.meeting': 'Cuộc họp',
  'layout.meetingPanel': 'Bảng cuộc họp',
  'layout.closePanel': 'Đóng bảng cuộc họp',
  'layout.hidePanel': 'Ẩn bảng cuộc họp',
  'layout.showPanel': 'Hiện bảng cuộc họp',
  'layout.itemPapers': '{n, plural, other {# tài liệu}}',
  'layout.new': 'Mới',
  'layout.updated': 'Đã cập nhật',
  'layout.version': 'phiên bản {v}',
  'layout.onDevice': 'Trên thiết bị này',
  'layout.userMenu': 'Trình đơn của {name}',
  'layout.signinHint': 'Dùng tên đăng nhập và mật khẩu do ban thư ký cung cấp.',
};
