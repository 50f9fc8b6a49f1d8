// Vietnamese for staying signed in on a device, spread into vi.ts; the type forces a translation
// of every key of en-device.ts.
import type { deviceEn } from './en-device.ts';

export const deviceVi: Record<keyof typeof deviceEn, string> = {
  'device.stay': 'Duy trì đăng nhập trên thiết bị này',
  'device.stayHint': 'Cho đến khi bạn đăng xuất hoặc phiên hết hạn. Đừng chọn nếu người khác cũng dùng thiết bị này.',
  'device.resuming': 'Đang kiểm tra đăng nhập trên thiết bị này…',
};
