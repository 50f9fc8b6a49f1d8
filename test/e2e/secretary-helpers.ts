// Helpers for the secretary console's end-to-end tests: the console is found by its accessible
// names, the delegate's screen by the brief's names (the `Agenda` list of list items).
import type { Locator, Page } from 'playwright-core';

export const consoleTab = async (page: Page, name: 'Items' | 'Papers' | 'Live' | 'Meeting'): Promise<void> => {
  await page.getByRole('tab', { name, exact: true }).click();
};

/** The console's editable item row holding `title`. */
export const editorRow = (page: Page, title: string): Locator =>
  page.getByRole('list', { name: 'Items to edit' }).getByRole('listitem').filter({ hasText: title });

/** The agenda titles as the delegate view shows them, in order. */
export const agendaTitles = (page: Page): Promise<string[]> =>
  page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').locator('.agenda-title').allTextContents();

/**
 * Polls `check` until true; returns how long it took since `t0` (ms, default: now), or throws
 * once `timeoutMs` have passed since `t0`. Pass the time taken just before the secretary's action.
 */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string, t0 = performance.now()): Promise<number> {
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
