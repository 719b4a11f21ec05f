import { chromium } from 'playwright-core';
const URL_ = 'http://localhost:3999';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking'] });
async function page(name, vp = { width: 1440, height: 900 }) {
  const ctx = await b.newContext({ viewport: vp });
  ctx.setDefaultTimeout(20000);
  const p = await ctx.newPage();
  p.on('pageerror', e => console.log(name, 'pageerror', e.message));
  p.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(name, 'console', m.type(), m.text().slice(0, 200), m.location()?.url); });
  p.on('response', r => { if (r.status() >= 400) console.log(name, r.status(), r.request().method(), r.url()); });
  return p;
}
let n = 0; const shot = (p, s) => p.screenshot({ path: `/tmp/shots/s${String(++n).padStart(2,'0')}-${s}.png` });
async function signin(p, who) {
  await p.goto(`${URL_}/tab/?theme=light`);
  await p.getByRole('button', { name: `Sign in as ${who}` }).click();
  await p.getByTestId('stream-status').filter({ hasText: 'Live' }).waitFor();
}
const sam = await page('sam');
await signin(sam, 'Sam Morgan');
const alex = await page('alex');
await signin(alex, 'Alex Rivera');
await shot(sam, 'sam-dashboard');
const tabs = await sam.getByRole('tab').allInnerTexts(); console.log('sam tabs', tabs);
const cust = await page('customer', { width: 400, height: 800 });
await cust.goto(`${URL_}/`);
await cust.getByRole('button', { name: /Open chat/ }).click();
const dialog = cust.getByRole('dialog', { name: 'Northwind Fiber Support' });
const survey = dialog.locator('form.sb-form').filter({ hasText: 'Your details' });
await survey.waitFor({ timeout: 30000 });
for (const field of await survey.locator('.sb-field').all()) {
  const label = (await field.locator('label').textContent()) ?? '';
  const select = field.locator('select');
  if (await select.count()) { const o = await select.locator('option').allTextContents(); await select.selectOption({ label: o[1] }); continue; }
  await field.locator('input').fill(/mail/i.test(label) ? 'ada@example.com' : /name/i.test(label) ? 'Ada Lovelace' : 'Internet down since morning');
}
await survey.getByRole('button', { name: 'Start chat' }).click();
await dialog.locator('.sb-msg-me ~ .sb-msg-them').first().waitFor({ timeout: 30000 });
const say = async (t) => { const i = dialog.getByRole('textbox', { name: 'Type your message' }); await i.fill(t); await i.press('Enter'); await cust.waitForTimeout(1200); };
await say('I want to talk to a person, this is the third time the internet is down this week and I am furious');
await alex.getByTestId('offer-toast').getByRole('button', { name: 'Accept' }).click();
const session = alex.getByRole('region', { name: /Session with/ });
await session.waitFor();
await say('This is completely unacceptable. Worst service ever. I want a refund now!');
await sam.waitForTimeout(1500);

await sam.getByRole('tab', { name: /Supervisor/ }).first().click();
await sam.getByRole('button', { name: 'Actions' }).first().click();
await sam.getByRole('menuitem', { name: /Monitor/ }).click();
await sam.waitForTimeout(1500); await shot(sam, 'sam-monitor');
await sam.getByRole('tab', { name: /Supervisor/ }).first().click();
await sam.waitForTimeout(800);
await sam.getByRole('button', { name: 'Actions' }).first().click();
await sam.getByRole('menuitem', { name: /Consult/ }).click();
await sam.waitForTimeout(2000); await shot(sam, 'sam-consult');
console.log('sam main', (await sam.locator('main').innerText().catch(()=>'')).slice(0, 1200));
await shot(alex, 'alex-after-consult');
console.log('alex main', (await alex.locator('main').innerText().catch(()=>'')).slice(0, 1500));
// customer ends with rating
await dialog.getByRole('button', { name: 'End chat' }).click();
const confirm = dialog.getByRole('group', { name: 'End the chat?' });
await confirm.getByRole('radio', { name: '2 stars' }).click();
await shot(cust, 'cust-rate');
await confirm.getByRole('button', { name: 'End chat' }).click();
await dialog.getByText('Thanks for your rating').waitFor();
await shot(cust, 'cust-ended');
await alex.waitForTimeout(2000); await shot(alex, 'alex-after-left');
await b.close();
