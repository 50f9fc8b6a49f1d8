// The one mapping of error codes to the reader's language (renderer/i18n/error-text.ts): every
// code the hub and the agent answer with has its own sentence in both languages, and anything
// else gets a translated generic sentence naming the code — never the hub's English words.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../renderer/api.ts';
import { errorDetail, errorKey, errorText } from '../../renderer/i18n/error-text.ts';
import { translate, type Locale, type MessageKey, type MessageValues } from '../../renderer/i18n/index.tsx';
import { ROOT } from '../helpers/processes.ts';

const tr = (locale: Locale) => (key: MessageKey, vars?: MessageValues) => translate(locale, key, vars);
const en = tr('en');
const vi = tr('vi');

/** Every error code written in the hub's and the agent's source, as HttpError or a helper takes it. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const src = fs.readFileSync(p, 'utf8');
        for (const m of src.matchAll(/HttpError\(\s*\d{3},\s*'([a-z_]+)'/g)) codes.add(m[1]!);
        for (const m of src.matchAll(/\b(?:conflict|refuse)\(\s*'([a-z_]+)'/g)) codes.add(m[1]!);
        for (const m of src.matchAll(/\berror: '([a-z_]+)'/g)) codes.add(m[1]!);
      }
    }
  };
  walk(path.join(ROOT, 'electron'));
  return codes;
}

describe('error text by code', () => {
  it('has a sentence of its own, in English and Vietnamese, for every code the hub and agent send', () => {
    const codes = codesInSource();
    expect(codes.size).toBeGreaterThan(30);
    expect(codes).toContain('not_found');
    const missing = [...codes].filter((c) => errorKey(c) === null);
    expect(missing).toEqual([]);
    for (const c of codes) {
      const key = errorKey(c)!;
      expect(translate('vi', key), c).not.toBe(translate('en', key));
    }
  });

  it('words a hub error by its code, not by the hub’s English message, which stays as the detail', () => {
    const err = new ApiError(404, 'not_found', 'no such paper in this meeting');
    expect(errorText(vi, err)).toBe('Không tìm thấy, hoặc anh/chị không có quyền xem.');
    expect(errorText(en, err)).toBe('It was not found, or it is not open to you.');
    expect(errorDetail(err)).toBe('no such paper in this meeting');
    // The procedures' own refusals come from the same mapping.
    expect(errorText(vi, new ApiError(409, 'already_voted', 'you have already voted'))).toMatch(/phiếu đầu tiên/);
  });

  it('falls back to a translated generic sentence naming the code', () => {
    const odd = new ApiError(409, 'brand_new_code', 'an English explanation');
    expect(errorText(vi, odd)).toBe('Yêu cầu bị từ chối (mã brand_new_code).');
    expect(errorText(en, odd)).not.toContain('English explanation');
    expect(errorText(vi, new ApiError(500, 'other_failure', 'boom'))).toMatch(/^Máy chủ không thực hiện được/);
  });

  it('reads a bare status (pdf.js downloads), a network failure and a broken PDF', () => {
    expect(errorText(vi, Object.assign(new Error('Unexpected server response (404)'), { status: 404 }))).toBe(errorText(vi, new ApiError(404, 'not_found', '')));
    expect(errorText(en, new ApiError(0, 'unreachable', 'Failed to fetch'))).toBe('The server cannot be reached.');
    expect(errorText(vi, new TypeError('Failed to fetch'))).toBe(translate('vi', 'error.network'));
    expect(errorText(vi, Object.assign(new Error('Invalid PDF structure.'), { name: 'InvalidPDFException' }))).toBe('Tệp này không phải là PDF đọc được.');
    expect(errorText(en, new Error('something odd'))).toBe('Something went wrong.');
  });
});
