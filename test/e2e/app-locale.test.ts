// Vietnamese from the locale switch: the sign-in page, the meeting list, the meeting view and the
// console all speak it, no English string of the catalogues is left on screen, and the choice
// survives a reload. The screenshots (test-results/app-locale-*.png) are for a person to look at.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, useDemoRoom } from './browser.ts';
import { en } from '../../renderer/i18n/en.ts';
import { vi } from '../../renderer/i18n/vi.ts';

// English strings that must not show once Vietnamese is chosen: every entry of the one catalogue
// (delegate view and console) without placeholders whose translation differs (proper names such
// as "Chamber" are the same in both).
const english = new Set<string>(Object.entries(en).filter(([k, v]) => vi[k as keyof typeof vi] !== v).map(([, v]) => v).filter((v) => !v.includes('{')));

/** Visible text nodes and accessible labels on the page that are exactly an English catalogue string. */
async function englishLeftovers(page: Page): Promise<string[]> {
  const seen = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('option[lang="en"]') || !el.checkVisibility()) continue;
      const s = (n.textContent ?? '').trim();
      if (s) out.push(s);
    }
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  });
  return [...new Set(seen.filter((s) => english.has(s)))];
}

describe('app: Vietnamese locale', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('switches every screen to Tiếng Việt and keeps the choice across reloads', async () => {
    // The system says English: the switch, not the system, must bring Vietnamese.
    const page = await room.newPage();
    await page.goto(room.hub.url + '/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Language').selectOption('vi');

    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await englishLeftovers(page)).toEqual([]);
    await shot(page, 'app-locale-signin');

    await page.reload();
    await page.getByLabel('Tên đăng nhập').fill('secretary');
    await page.getByLabel('Mật khẩu').fill('demo');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('heading', { name: 'Cuộc họp của bạn' }).waitFor();
    await page.getByRole('link', { name: /Council meeting/ }).waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await shot(page, 'app-locale-meetings');

    await page.getByRole('link', { name: /Council meeting/ }).click();
    await page.getByRole('list', { name: 'Chương trình' }).waitFor();
    await page.getByRole('status', { name: 'Kết nối: Trực tuyến' }).waitFor({ timeout: 10_000 });
    // A wide screen: the console is the secretary's desk, its items, papers and live columns in view.
    await page.getByRole('heading', { name: 'Bàn làm việc của thư ký', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Mục', exact: true }).waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await shot(page, 'app-locale-meeting');

    for (const tab of ['Cuộc họp']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await expect.poll(() => page.getByRole('tab', { name: tab, exact: true }).getAttribute('aria-selected')).toBe('true');
      expect(await englishLeftovers(page), `console tab ${tab}`).toEqual([]);
    }
    await shot(page, 'app-locale-console');

    // The choice is remembered on this device: a reload stays Vietnamese, and English comes back by the switch.
    await page.reload();
    await page.getByRole('list', { name: 'Chương trình' }).waitFor();
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('list', { name: 'Agenda' }).waitFor();
    await page.reload();
    await page.getByRole('list', { name: 'Agenda' }).waitFor();
  });
});
