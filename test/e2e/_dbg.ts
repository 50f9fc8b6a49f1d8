import fs from 'node:fs';
import { launchChromium, startDemoHub, signInUi, openDemoMeeting, openPaper } from './browser.ts';
import { api, signIn, FIXTURES } from '../helpers/processes.ts';
const { hub } = await startDemoHub();
const browser = await launchChromium();
try {
  const sec = await signIn(hub.url, 'secretary');
  const mid = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
  console.log((await api(hub.url, sec.token, `/api/meetings/${mid}/documents?title=Book`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(fs.readFileSync(FIXTURES + '/freeculture.pdf')) })).status);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('console', (m) => { if (!m.text().includes('404')) console.log('console:', m.type(), m.text()); });
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await signInUi(page, hub.url, 'delegate1');
  await openDemoMeeting(page);
  await openPaper(page, 'Book');
  console.log('opened 1');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('link', { name: 'Book', exact: true }).click();
  await page.waitForTimeout(3000);
  console.log(await page.evaluate(() => [...document.querySelectorAll('.page')].map((p) => p.outerHTML.slice(0, 200))));
  await page.screenshot({ path: 'test-results/dbg.png' });
} finally {
  await browser.close();
  await hub.stop();
}
