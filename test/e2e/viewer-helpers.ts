// The viewer's toolbar for end-to-end tests, by accessible names: the zoom figure (`Zoom N%`,
// which returns to the view's fit), the `More` menu (thumbnails, outline, rotate, export, print)
// and the `View` choice.
import type { Page } from 'playwright-core';

/** The zoom in force, in percent. */
export const zoomPercent = async (page: Page): Promise<number> =>
  Number((await page.getByRole('button', { name: /^Zoom \d+%$/ }).textContent())!.replace(/\D/g, ''));

const moreButton = (page: Page) => page.getByRole('button', { name: 'More', exact: true });
const moreMenu = (page: Page) => page.getByRole('menu', { name: 'More' });
const item = (page: Page, name: string) => moreMenu(page).locator('[role^="menuitem"]').filter({ hasText: new RegExp(`^${name}$`) });

/** Opens `More` and chooses the item named `name` (Thumbnails, Outline, Rotate, Export PDF, Print). */
export async function chooseFromMore(page: Page, name: string): Promise<void> {
  if ((await moreButton(page).getAttribute('aria-expanded')) !== 'true') await moreButton(page).click();
  await item(page, name).click();
}

/** How many items named `name` the `More` menu offers (it is opened and closed again to look). */
export async function moreItemCount(page: Page, name: string): Promise<number> {
  await moreButton(page).click();
  await moreMenu(page).waitFor();
  const n = await item(page, name).count();
  await page.keyboard.press('Escape');
  await moreMenu(page).waitFor({ state: 'detached' });
  return n;
}

/** Chooses a view: `Fit width`, `Fit page` or `Two pages`. */
export const chooseView = (page: Page, name: 'Fit width' | 'Fit page' | 'Two pages'): Promise<void> =>
  page.getByRole('radiogroup', { name: 'View' }).getByRole('radio', { name }).click();
