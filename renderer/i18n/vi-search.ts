// Vietnamese for search across every paper, spread into vi.ts; the type forces a translation of
// every key of en-search.ts.
import type { searchEn } from './en-search.ts';

export const searchVi: Record<keyof typeof searchEn, string> = {
  'search.field': 'Tìm trong mọi tài liệu',
  'search.submit': 'Tìm',
  'search.title': 'Tìm kiếm',
  'search.resultsFor': 'Kết quả cho “{q}”',
  'search.prompt': 'Gõ từ cần tìm trong tài liệu của các cuộc họp, có dấu hoặc không dấu, rồi nhấn Enter.',
  'search.searching': 'Đang tìm…',
  'search.none': 'Không tìm thấy kết quả nào.',
  'search.count': '{n, plural, other {Tìm thấy # trang}}',
  'search.results': 'Kết quả tìm kiếm',
  'search.page': 'trang {n}',
  'search.version': 'phiên bản {v}',
  'search.records': 'Chương trình, kết luận và quyết định',
  'search.kind.agenda': 'Nội dung chương trình',
  'search.kind.conclusion': 'Kết luận',
  'search.kind.decision': 'Quyết định',
  'search.untexted': '{n, plural, other {# tài liệu không có lớp văn bản (bản quét): chỉ tìm được theo tiêu đề.}}',
  'search.pending': '{n, plural, other {Đang lập chỉ mục # tài liệu: có thể có thêm kết quả.}}',
  'search.onDevice': 'Đã tìm trên thiết bị này: không kết nối được máy chủ phòng họp, nên chỉ tìm trong các tài liệu đã lưu trên máy.',
  'search.keys': 'Dùng phím mũi tên hoặc Tab để chuyển giữa các kết quả; nhấn Enter để mở.',
};
