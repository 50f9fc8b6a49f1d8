// Helpers for the secretary console's end-to-end tests: the console is found by its accessible
// names, the delegate's screen by the brief's names (the `Agenda` list of list items).
import type { Locator, Page } from 'playwright-core';

const DESK_COLUMN = { Items: '#desk-items', Papers: '#desk-papers', Live: '#desk-live' } as const;

/**
 * Brings a console section into view: its tab, or, on the secretary's desk (wide screens, no
 * paper open), the column that shows Items, Papers and Live without a tab.
 */
export const consoleTab = async (page: Page, name: 'Items' | 'Papers' | 'Live' | 'Meeting'): Promise<void> => {
  const tab = page.getByRole('tab', { name, exact: true });
  const column = name === 'Meeting' ? null : page.locator(DESK_COLUMN[name]);
  await (column ? tab.or(column) : tab).first().waitFor();
  if (await tab.count()) await tab.click();
  else await column!.scrollIntoViewIfNeeded();
};

/** Answers the open confirmation dialog with its destructive button, named for the action. */
export const confirm = async (page: Page, action: string): Promise<void> => {
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
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

/**
 * Releases a paper the console staged on upload (issue 16) as it was uploaded: named after its
 * file, for everyone, on no item. Waits until it has left the staged list.
 */
export const releaseStaged = async (page: Page, fileName: string): Promise<void> => {
  const row = page.getByRole('region', { name: 'Waiting for release' }).getByRole('listitem').filter({ hasText: fileName });
  await row.getByRole('button', { name: 'Release', exact: true }).click();
  await row.waitFor({ state: 'detached', timeout: 10_000 });
};
