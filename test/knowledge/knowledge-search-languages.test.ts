import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient, type Json } from '../api/support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The agent's knowledge search (`GET /api/v1/knowledge/search`, what `/kb` asks) over articles
// written in other languages and scripts, and queries typed on other keyboards: accents on or off,
// composed or decomposed, Chinese without spaces, Hindi, full-width letters, a non-breaking hyphen.

let s: TestServer;
let alex: ApiClient;

const ARTICLES = [
  {
    id: 'kb_es_facturacion',
    title: 'Entender tu facturación',
    body: 'La facturación mensual muestra cada cargo y el reembolso si lo hubo.',
    product: 'Billing',
  },
  {
    id: 'kb_de_rueckerstattung',
    title: 'Rückerstattung beantragen',
    body: 'So beantragen Sie eine Rückerstattung für eine doppelte Abbuchung.',
    product: 'Billing',
  },
  {
    id: 'kb_zh_refund',
    title: '如何申请退款',
    body: '在账单页面申请退款，五个工作日内到账。',
    product: 'Billing',
  },
  {
    id: 'kb_zh_router',
    title: '重启路由器',
    body: '拔下路由器电源，等待三十秒，然后重新插上。',
    product: 'Wi-Fi',
  },
  {
    id: 'kb_hi_router',
    title: 'राउटर रीस्टार्ट कैसे करें',
    body: 'राउटर का प्लग निकालें, तीस सेकंड रुकें और फिर लगाएँ।',
    product: 'Wi-Fi',
  },
  {
    id: 'kb_fr_cafe',
    title: 'Le wifi du café',
    body: 'Le réseau du café est ouvert aux clients.',
    product: 'Wi-Fi',
  },
];

async function search(q: string): Promise<Json[]> {
  const res = await alex.call('GET', `/knowledge/search?q=${encodeURIComponent(q)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Json[];
}
const topOf = async (q: string) => (await search(q))[0]?.id as string | undefined;

beforeAll(async () => {
  s = await startTestServer();
  for (const a of ARTICLES) await s.services.repos.knowledgeArticles.create(a);
  alex = await signIn(s.url, 'agent_alex');
});
afterAll(async () => {
  await s?.close();
});

describe('knowledge search in any language', () => {
  it('finds an accented word typed with or without its accents, composed or decomposed', async () => {
    for (const q of ['facturación', 'facturacion', 'FACTURACIÓN', 'facturación'.normalize('NFD')])
      expect(await topOf(q), q).toBe('kb_es_facturacion');
    for (const q of ['Rückerstattung', 'ruckerstattung'])
      expect(await topOf(q), q).toBe('kb_de_rueckerstattung');
    expect(await topOf('cafe')).toBe('kb_fr_cafe');
    // The accented spelling scores as the plain one: one term, not fragments of it.
    const [plain] = await search('facturacion');
    const [accented] = await search('facturación');
    expect(accented?.score).toBe(plain?.score);
  });

  it('finds articles written in Chinese (no spaces) and Hindi', async () => {
    expect(await topOf('退款')).toBe('kb_zh_refund');
    expect(await topOf('我想退款')).toBe('kb_zh_refund');
    expect(await topOf('路由器')).toBe('kb_zh_router');
    expect(await topOf('राउटर रीस्टार्ट')).toBe('kb_hi_router');
    const [hit] = await search('退款');
    expect(hit?.snippet).toContain('退款');
  });

  it('reads full-width letters and a non-breaking hyphen as the plain ones', async () => {
    const [plain] = await search('wifi password');
    expect(plain?.id).toBe('kb_change_wifi_password');
    for (const q of ['wi\u2011fi password', 'ＷｉＦｉ password', 'Ｗｉ－Ｆｉ ｐａｓｓｗｏｒｄ']) {
      const [hit] = await search(q);
      expect(hit, q).toMatchObject({ id: plain?.id, score: plain?.score });
    }
  });
});
