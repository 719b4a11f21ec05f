import { launch, newPage, signIn, setPresence, customerAsksForAPerson } from './test/e2e-tab/support/tab-browser.ts';
const url = 'http://localhost:3999';
const browser = await launch();
const agent = (await newPage(browser, 'agent')).page;
await signIn(agent, url, 'Alex Rivera');
await setPresence(agent, /Available/);
const focused = async () => agent.evaluate(() => { const e = document.activeElement as HTMLElement; return e ? `${e.tagName} role=${e.getAttribute('role')} name=${e.getAttribute('aria-label') ?? ''} text=${(e.innerText||'').slice(0,40).replace(/\n/g,' ')}` : 'none'; });
console.log('start focus', await focused());
const chat = await customerAsksForAPerson(browser, url, 'Barbara Liskov', 'I want to move my service to a new address, can I speak to an agent?');
await agent.getByTestId('offer-toast').waitFor({ timeout: 30000 });
console.log('after toast focus', await focused());
for (let i = 0; i < 12; i++) { await agent.keyboard.press('Tab'); console.log(i, await focused()); }
await agent.screenshot({ path: '/tmp/shots/e1.png' });
await browser.close();
