// Tiếng Việt cho tài liệu chờ phát hành (issue 16): danh sách chờ trong bảng điều khiển, phát
// hành, hủy bỏ và các phiên bản của tài liệu; trải vào vi.ts.
import type { stagingEn } from './en-staging.ts';

export const stagingVi: Record<keyof typeof stagingEn, string> = {
  'staging.heading': 'Chờ phát hành',
  'staging.explain': 'Tài liệu mới tải lên chờ ở đây, chỉ thư ký, chủ tọa và quản trị viên của cuộc họp nhìn thấy. Đặt tên, mục chương trình và người được xem cho từng tài liệu, rồi phát hành cho cả phòng họp.',
  'staging.none': 'Không có tài liệu nào đang chờ phát hành.',
  'staging.badge': 'Chưa phát hành',
  'staging.file': '{name} · {pages, plural, other {# trang}}',
  'staging.name': 'Tên tài liệu',
  'staging.item': 'Đặt vào mục chương trình',
  'staging.noItem': 'Không thuộc mục nào (tài liệu khác)',
  'staging.who': 'Ai được xem {title}',
  'staging.release': 'Phát hành',
  'staging.released': 'Đã phát hành {title}: cả phòng họp đã thấy tài liệu.',
  'staging.discard': 'Hủy bỏ',
  'staging.confirmDiscard': '“{title}” và tệp đã tải lên sẽ bị xóa. Chưa ai trong phòng họp thấy tài liệu này.',
  'staging.confirmTitle': 'Hủy bỏ tài liệu này?',
  'staging.confirmYes': 'Hủy bỏ tài liệu',
  'staging.keep': 'Giữ lại',
  'staging.discarded': 'Đã hủy bỏ {title}.',
  'staging.uploaded': 'Đã tải lên {name} ({pages, plural, other {# trang}}). Tài liệu chờ trong mục “Chờ phát hành” cho đến khi bạn phát hành.',
  'staging.newVersionOf': 'Phiên bản mới của {title}',
  'staging.releasedVersion': 'Đã phát hành phiên bản mới của {title}: người đọc chuyển sang phiên bản này ngay.',
  'staging.uploadedVersion': 'Đã tải lên phiên bản mới của {title}. Phiên bản chờ trong mục “Chờ phát hành”; người đọc vẫn dùng phiên bản hiện tại cho đến khi bạn phát hành.',
  'staging.versions': 'Các phiên bản ({n})',
  'staging.versionsOf': 'Các phiên bản của {title}',
  'staging.versionLine': 'Phiên bản {v} · {file} · {pages, plural, other {# trang}} · {date}',
};
