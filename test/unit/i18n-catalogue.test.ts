// The one catalogue (delegate view and console): every message is valid ICU in both languages,
// uses the same placeholders in both, and counts agree with their numbers ('1 page', '2 pages';
// Vietnamese has one form). No '(s)' plurals are left.
import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogues, translate, type MessageKey } from '../../renderer/i18n/index.tsx';
import { en } from '../../renderer/i18n/en.ts';

/** The names a message takes, with their kind (a plural needs a number). */
function argumentsOf(elements: MessageFormatElement[], out = new Map<string, string>()): Map<string, string> {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number) out.set(el.value, out.get(el.value) ?? 'value');
    if (el.type === TYPE.plural) {
      out.set(el.value, 'plural');
      for (const option of Object.values(el.options)) argumentsOf(option.value, out);
    }
    if (el.type === TYPE.select) for (const option of Object.values(el.options)) argumentsOf(option.value, out);
  }
  return out;
}

const keys = Object.keys(en) as MessageKey[];

describe('i18n catalogue', () => {
  it('has every message in both languages, valid ICU, with the same placeholders', () => {
    for (const key of keys) {
      const [enArgs, viArgs] = (['en', 'vi'] as const).map((l) => {
        const text = catalogues[l][key];
        expect(text, `${l} ${key}`).toBeTypeOf('string');
        return Object.fromEntries(argumentsOf(parse(text)));
      });
      expect(viArgs, key).toEqual(enArgs);
    }
  });

  it('leaves no "(s)" plural, and formats every message with sample values', () => {
    for (const key of keys) {
      for (const l of ['en', 'vi'] as const) {
        expect(catalogues[l][key], key).not.toMatch(/\(s\)/);
        const values = Object.fromEntries([...argumentsOf(parse(catalogues[l][key]))].map(([name, kind]) => [name, kind === 'plural' ? 2 : 'X']));
        const out = translate(l, key, values);
        expect(out, `${l} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('agrees counts with their number, in the delegate view and the console alike', () => {
    expect(translate('en', 'papers.pages', { n: 1 })).toBe('1 page');
    expect(translate('en', 'papers.pages', { n: 12 })).toBe('12 pages');
    expect(translate('en', 'console.items.paperCount', { n: 1 })).toBe('1 paper');
    expect(translate('en', 'console.items.paperCount', { n: 3 })).toBe('3 papers');
    expect(translate('en', 'console.papers.uploaded', { name: 'Budget.pdf', pages: 1 })).toBe('Budget.pdf uploaded: 1 page.');
    expect(translate('en', 'console.papers.uploaded', { name: 'Budget.pdf', pages: 1352 })).toBe('Budget.pdf uploaded: 1,352 pages.');
    expect(translate('vi', 'papers.pages', { n: 1 })).toBe('1 trang');
    expect(translate('vi', 'papers.pages', { n: 12 })).toBe('12 trang');
    expect(translate('vi', 'console.papers.uploaded', { name: 'Ngân sách.pdf', pages: 1352 })).toBe('Đã tải lên Ngân sách.pdf (1.352 trang).');
  });

  it('keeps the names the brief and the tests find things by', () => {
    const names: Partial<Record<MessageKey, string>> = {
      'signin.login': 'Login', 'signin.password': 'Password', 'signin.submit': 'Sign in', 'agenda.title': 'Agenda',
      'viewer.page': 'Page', 'viewer.next': 'Next page', 'tools.pen': 'Pen', 'tools.highlighter': 'Highlighter', 'tools.note': 'Note',
      'tools.eraser': 'Eraser', 'tools.undo': 'Undo', 'tools.redo': 'Redo', 'live.present': 'Present', 'live.follow': 'Follow',
      'console.items.add': 'Add item', 'console.items.title': 'Title', 'console.items.save': 'Save',
    };
    for (const [key, text] of Object.entries(names)) expect(translate('en', key as MessageKey), key).toBe(text);
    expect(translate('en', 'viewer.pageOf', { n: 3, m: 12 })).toBe('Page 3 of 12');
  });
});
