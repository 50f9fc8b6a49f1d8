// Tiếng Việt cho thu hồi tài liệu và hết hạn truy cập ngoại tuyến (issue 17); trải vào vi.ts.
import type { recallEn } from './en-recall.ts';

export const recallVi: Record<keyof typeof recallEn, string> = {
  'recall.button': 'Thu hồi',
  'recall.explain': 'Thu hồi “{title}” khỏi mọi thiết bị: tài liệu bị gỡ với mọi người và bị xoá khỏi từng máy tính bảng.',
  'recall.reason': 'Lý do',
  'recall.confirm': 'Thu hồi khỏi mọi thiết bị',
  'recall.done': 'Đã thu hồi “{title}”; các thiết bị xác nhận khi đã xoá.',
  'recall.heading': 'Tài liệu đã thu hồi',
  'recall.when': 'thu hồi lúc {time}: {reason}',
  'recall.counts': '{done}/{all} thiết bị đã xác nhận',
  'recall.devicesOf': 'Các thiết bị đang giữ “{title}”',
  'recall.device': 'Thiết bị',
  'recall.user': 'Người dùng',
  'recall.state': 'Đã xoá',
  'recall.confirmedAt': 'Đã xác nhận lúc {time}',
  'recall.notYet': 'Chưa',
  'recall.notYetSeen': 'Chưa (liên lạc gần nhất {time})',
  'recall.onClose': 'Thu hồi mọi tài liệu khỏi các thiết bị khi kết thúc cuộc họp',
  'recall.expired': 'Quyền đọc ngoại tuyến tài liệu này đã hết hạn; hãy kết nối lại mạng của phòng họp.',
};
