// Tiếng Việt cho phần phân loại mật (issue 17, docs/classification.md); trải vào vi.ts.
import type { classificationEn } from './en-classification.ts';

export const classificationVi: Record<keyof typeof classificationEn, string> = {
  'classification.badge': 'Độ mật: {name}',
  'classification.export': 'Xuất PDF',
  'classification.exporting': 'Đang xuất…',
  'classification.exportFailed': 'Không xuất được tài liệu: {msg}',
  'classification.print': 'In',
  'classification.noPrint': 'Tài liệu này thuộc độ mật {name}: không được phép in.',
  'classification.watermarked': 'Mỗi trang mang tên, tài khoản, thiết bị của bạn và thời điểm xem.',
  'classification.level': 'Độ mật',
  'classification.levelOf': 'Độ mật của {title}',
  'classification.changed': '{title} đã được xếp độ mật {name}.',
};
