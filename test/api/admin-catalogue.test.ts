/**
 * The agents' catalogue, kept by an administrator over the API: knowledge articles, quick replies,
 * macros and agent scripts are listed, created, changed and deleted, what agents use is what was
 * written, and nothing a macro or script still uses can be deleted. Every write leaves an audit line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/app.js';
import { loadConfig } from '../../services/config.js';
import { createLogger } from '../../services/log.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

let server: TestServer;
let riley: ApiClient;
let alex: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  riley = await signIn(server.url, 'admin_riley');
  alex = await signIn(server.url, 'agent_alex');
}, 60_000);
afterAll(() => server.close());

const ids = async (path: string) =>
  ((await riley.call('GET', path)).body.items as Json[]).map((r) => r.id as string);

describe('the catalogue, by an administrator', () => {
  it('is for administrators only, even to read', async () => {
    const sam = await signIn(server.url, 'supervisor_sam');
    for (const path of [
      '/admin/knowledge-articles',
      '/admin/quick-replies',
      '/admin/macros',
      '/admin/agent-scripts',
    ]) {
      expect((await riley.call('GET', path)).status, path).toBe(200);
      expect((await sam.call('GET', path)).status, path).toBe(403);
      expect((await alex.call('POST', path, {})).status, path).toBe(403);
    }
    expect((await sam.call('DELETE', '/admin/quick-replies/qr_greeting')).status).toBe(403);
  });

  it('writes quick replies agents use at once, and deletes one no macro uses', async () => {
    const conversation = await activeConversationWithAlex(server.services, 'dl_catalogue_01');
    const created = await riley.call('POST', '/admin/quick-replies', {
      title: 'Fiber install window',
      text: 'Hi {customerName}, installs run 8 am to noon.',
      tags: ['install'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const found = async (q: string) =>
      (
        (await alex.call('GET', `/conversations/${conversation}/quick-replies?q=${q}`)).body.items as Json[]
      ).map((r) => r.filled as string);
    expect(await found('install')).toContain('Hi Dana Whitfield, installs run 8 am to noon.');

    const changed = await riley.call('PUT', `/admin/quick-replies/${id}`, {
      text: 'Installs run 1 pm to 5 pm.',
    });
    expect(changed.body).toMatchObject({
      id,
      title: 'Fiber install window',
      text: 'Installs run 1 pm to 5 pm.',
    });
    expect(await found('install')).toContain('Installs run 1 pm to 5 pm.');
    const empty = await riley.call('PUT', `/admin/quick-replies/${id}`, { text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body\.text/);

    expect((await riley.call('DELETE', `/admin/quick-replies/${id}`)).body).toEqual({ ok: true });
    expect(await ids('/admin/quick-replies')).not.toContain(id);
    expect(await found('install')).not.toContain('Installs run 1 pm to 5 pm.');
    const again = await riley.call('DELETE', `/admin/quick-replies/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('quick_reply.not_found');
  });

  it('refuses to delete what a macro or script uses, naming it', async () => {
    const used = await riley.call('DELETE', '/admin/quick-replies/qr_outage_ack');
    expect(used.status).toBe(409);
    expect(used.body.error.code).toBe('quick_reply.in_use');
    expect(used.body.error.message).toMatch(/macro "Log outage and notify customer" \(macro_log_outage\)/);
    expect(await ids('/admin/quick-replies')).toContain('qr_outage_ack');

    const macro = await riley.call('DELETE', '/admin/macros/macro_billing_dispute');
    expect(macro.status).toBe(409);
    expect(macro.body.error.message).toMatch(/agent script "Billing dispute" \(script_billing_dispute\)/);

    const script = await riley.call('DELETE', '/admin/agent-scripts/script_billing_dispute');
    expect(script.status).toBe(409);
    expect(script.body.error.code).toBe('agent_script.in_use');
    expect(script.body.error.message).toMatch(/script_outage_troubleshooting/);
  });

  it('creates macros and scripts only over what exists, and deletes them in turn', async () => {
    const badMacro = await riley.call('POST', '/admin/macros', {
      name: 'Confirm install',
      actions: [{ type: 'send-quick-reply', quickReplyId: 'qr_nope' }],
    });
    expect(badMacro.status).toBe(400);
    expect(badMacro.body.error).toMatchObject({ code: 'macro.unknown_quick_reply' });
    expect(badMacro.body.error.message).toMatch(/qr_nope/);
    expect((await riley.call('POST', '/admin/macros', { name: 'Nothing', actions: [] })).status).toBe(400);

    const macro = await riley.call('POST', '/admin/macros', {
      name: 'Confirm install',
      actions: [
        { type: 'send-quick-reply', quickReplyId: 'qr_greeting' },
        { type: 'open-kb-search', query: 'install' },
      ],
    });
    expect(macro.status).toBe(201);
    const macroId = macro.body.id as string;

    const steps = [
      { id: 's1', kind: 'text', text: 'Confirm the address.' },
      { id: 's2', kind: 'macro', label: 'Confirm the install', macroId },
    ];
    const badScript = await riley.call('POST', '/admin/agent-scripts', {
      name: 'Install',
      workstreamIds: ['ws_fax'],
      steps,
    });
    expect(badScript.status).toBe(400);
    expect(badScript.body.error.message).toMatch(/ws_fax/);
    const script = await riley.call('POST', '/admin/agent-scripts', {
      name: 'Install',
      workstreamIds: ['ws_webchat'],
      queueIds: ['queue_sales_moving'],
      steps,
    });
    expect(script.status).toBe(201);
    const scriptId = script.body.id as string;
    const outer = await riley.call('POST', '/admin/agent-scripts', {
      name: 'Install, then close',
      steps: [{ id: 'o1', kind: 'script', label: 'Install', scriptId }],
    });
    expect(outer.status).toBe(201);

    expect((await riley.call('DELETE', `/admin/macros/${macroId}`)).body.error.message).toMatch(
      /agent script "Install" /,
    );
    expect((await riley.call('DELETE', `/admin/agent-scripts/${scriptId}`)).body.error.message).toMatch(
      /agent script "Install, then close"/,
    );
    const renamed = await riley.call('PUT', `/admin/agent-scripts/${scriptId}`, { name: 'Fiber install' });
    expect(renamed.body).toMatchObject({ id: scriptId, name: 'Fiber install', steps });

    for (const path of [
      `/admin/agent-scripts/${outer.body.id}`,
      `/admin/agent-scripts/${scriptId}`,
      `/admin/macros/${macroId}`,
    ]) {
      expect((await riley.call('DELETE', path)).status, path).toBe(200);
    }
    expect(await ids('/admin/macros')).not.toContain(macroId);
    expect(await ids('/admin/agent-scripts')).not.toContain(scriptId);
  });

  it('writes knowledge articles agents open and find at once, drafts and agents-only ones kept back', async () => {
    const created = await riley.call('POST', '/admin/knowledge-articles', {
      title: 'Preparing for your fiber install',
      body: 'Clear a path to the wall where the fiber comes in.',
      keywords: ['install'],
      product: 'Fiber',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await alex.call('GET', `/knowledge/${id}`)).body).toMatchObject({
      title: 'Preparing for your fiber install',
    });
    const found = async (q: string) =>
      ((await alex.call('GET', `/knowledge/search?q=${encodeURIComponent(q)}`)).body.items as Json[]).map(
        (a) => a.id,
      );
    // Search follows the write, with no restart: the index is rebuilt as the article changes.
    expect(await found('preparing fiber install')).toContain(id);
    await riley.call('PUT', `/admin/knowledge-articles/${id}`, { title: 'Before the installer comes' });
    expect((await alex.call('GET', `/knowledge/${id}`)).body.title).toBe('Before the installer comes');
    expect(await found('before the installer comes')).toContain(id);
    // A draft is nobody's yet; an agents-only article is the agents', never on its public page.
    expect((await riley.call('PUT', `/admin/knowledge-articles/${id}`, { published: false })).status).toBe(
      200,
    );
    expect(await found('before the installer comes')).not.toContain(id);
    await riley.call('PUT', `/admin/knowledge-articles/${id}`, { published: true, audience: 'agents' });
    expect(await found('before the installer comes')).toContain(id);
    expect((await fetch(`${server.url}/kb/${id}`)).status).toBe(404);
    expect((await riley.call('DELETE', `/admin/knowledge-articles/${id}`)).status).toBe(200);
    expect((await alex.call('GET', `/knowledge/${id}`)).status).toBe(404);
    expect(await found('before the installer comes')).not.toContain(id);
  });
});

describe('the audit log', () => {
  it('names who changed what in a line per write, and nothing for a refused one', async () => {
    const lines: Json[] = [];
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-admin-audit-'));
    const app = await createApp(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET,
        AUTH_MODE: 'dev',
      }),
      { log: createLogger({}, (line) => lines.push(JSON.parse(line))) },
    );
    try {
      const base = (await app.listen(0, '127.0.0.1')).replace('localhost', '127.0.0.1');
      const admin = await signIn(base, 'admin_riley');
      expect((await admin.call('PUT', '/admin/agents/agent_alex', { capacity: 80, skills: [] })).status).toBe(
        200,
      );
      expect((await admin.call('DELETE', '/admin/quick-replies/qr_outage_ack')).status).toBe(409);
      const audit = lines.filter((l) => l.msg === 'administration change');
      expect(audit).toEqual([
        expect.objectContaining({
          part: 'administration',
          by: 'admin_riley',
          byName: 'Riley Park',
          action: 'update',
          entity: 'agent',
          id: 'agent_alex',
          fields: ['capacity', 'skills'],
        }),
      ]);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
