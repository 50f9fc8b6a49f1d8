// Vietnamese for the viewer's views, its compact toolbar, colour names and the replaced-paper
// notice, spread into vi.ts.
import type { viewerEn } from './en-viewer.ts';

export const viewerVi: Record<keyof typeof viewerEn, string> = {
  'replaced.label': 'Tài liệu đã được thay',
  'replaced.head': 'Tài liệu này đã được thay bằng phiên bản {v}.',
  'replaced.headTitled': '“{title}” đã được thay bằng phiên bản {v}.',
  'replaced.both': 'Ghi chú của bạn ở {c, plural, other {trang}} {carried} đã được chuyển sang; ghi chú ở {s, plural, other {trang}} {stayed} vẫn nằm ở phiên bản {prev}.',
  'replaced.carried': 'Ghi chú của bạn ở {c, plural, other {trang}} {carried} đã được chuyển sang.',
  'replaced.stayed': 'Ghi chú của bạn ở {s, plural, other {trang}} {stayed} vẫn nằm ở phiên bản {prev}.',
  'replaced.openOld': 'Mở phiên bản {prev} kèm ghi chú của tôi',
  'replaced.dismiss': 'Đóng thông báo',
  'view.label': 'Chế độ xem',
  'view.fitWidth': 'Vừa chiều rộng',
  'view.fitPage': 'Vừa trang',
  'view.twoPages': 'Hai trang',
  'tools.more': 'Thêm',
  'tools.navigation': 'Trang',
  'color.blue': 'Xanh dương',
  'color.red': 'Đỏ',
  'color.green': 'Xanh lá',
  'color.black': 'Đen',
  'color.purple': 'Tím',
  'color.yellow': 'Vàng',
  'color.pink': 'Hồng',
  'width.thin': 'Mảnh',
  'width.medium': 'Vừa',
  'width.thick': 'Đậm',
};
