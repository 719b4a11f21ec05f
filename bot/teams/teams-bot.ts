import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { isDomainError, type Agent } from '../../services/domain/index.js';
import { isSharedChat } from '../chat-scope.js';
import {
  CARD_CONTENT_TYPE,
  CONSULT_VERBS,
  OFFER_VERBS,
  QUEUE_VERBS,
  queuesAttachment,
  type AdaptiveCard,
} from '../cards/index.js';
import type { ConsultRecord, ConsultRelay } from './consult-relay.js';
import { filesIn, filesNotPassedOn, type TeamsFile } from './message-files.js';
import type { OfferActionResult, OfferCards } from './offer-cards.js';
import type { TeamsContext } from './ports.js';
import { RecentIds } from './recent-ids.js';
import { repliedToId } from './reply-binding.js';

/** The bot's commands, as the manifest lists them for its personal chat. */
function commandOf(text: string): 'queues' | 'help' | undefined {
  if (/^\/?(my )?queues?$/i.test(text)) return 'queues';
  if (/^\/?help$/i.test(text)) return 'help';
  return undefined;
}

/** Teams waits a few seconds for an invoke's answer; past this we answer "working on it" and follow up. */
export const INVOKE_BUDGET_MS = 4000;

const AGENT_KEY = Symbol('switchboard.teamsAgent');

const HELP =
  'I bring Switchboard to Teams. Conversation offers arrive here as cards you can accept or reject; ' +
  'say "queues" to see your queues and opt in or out. When someone consults you, reply here and your ' +
  'messages reach them as internal notes; with more than one consult open, reply to the card or a ' +
  'message of the consult you are answering.';

/**
 * The Teams bot for agents and supervisors. It runs the turns of Teams users who are agents (matched by
 * their Entra ID object id) and the Universal Actions of its cards; every other Teams user is an
 * employee reaching the helpdesk and goes to the customer bot.
 */
export class TeamsBot extends TeamsActivityHandler {
  private readonly recent = new RecentIds();

  constructor(
    private readonly ctx: TeamsContext,
    private readonly offers: OfferCards,
    private readonly consults: ConsultRelay,
  ) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      // Offers, consults and alerts come to the personal chat; a team or group chat is not told so.
      if (!isSharedChat(context.activity))
        await context.sendActivity(`Hi ${this.agentOf(context)?.name ?? 'there'}! ${HELP}`);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some(
        (m) => m.id === context.activity.recipient.id,
      );
      if (botAdded) await this.remember(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.onAgentMessage(context);
      await next();
    });
  }

  /** Whether this turn is the Teams bot's (and not the helpdesk customer bot's). */
  async accepts(context: TurnContext): Promise<boolean> {
    const a = context.activity;
    if (a.channelId !== 'msteams') return false;
    if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action') return true;
    const agent = await this.findAgent(context);
    if (agent) return true;
    return false;
  }

  private async findAgent(context: TurnContext): Promise<Agent | null> {
    const cached = context.turnState.get(AGENT_KEY) as Agent | null | undefined;
    if (cached !== undefined) return cached;
    const aad = context.activity.from?.aadObjectId;
    const agent = aad ? await this.ctx.repos.agents.getByAadObjectId(aad) : null;
    context.turnState.set(AGENT_KEY, agent);
    return agent;
  }

  private agentOf(context: TurnContext): Agent | null {
    return (context.turnState.get(AGENT_KEY) as Agent | null | undefined) ?? null;
  }

  /** Keeps the agent's personal chat with the bot, the one proactive cards go to. */
  private async remember(context: TurnContext): Promise<void> {
    const agent = await this.findAgent(context);
    const a = context.activity;
    if (!agent || (a.conversation.conversationType && a.conversation.conversationType !== 'personal')) return;
    const ref = JSON.parse(JSON.stringify(TurnContext.getConversationReference(a))) as Record<
      string,
      unknown
    >;
    delete ref.activityId;
    if (JSON.stringify(agent.teamsConversationRef) === JSON.stringify(ref)) return;
    await this.ctx.repos.agents.update(agent.id, { teamsConversationRef: ref });
    this.ctx.log.info('teams chat of agent stored', { agentId: agent.id });
  }

  private async onAgentMessage(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (!this.recent.firstTime(`${a.conversation.id}|${a.id}`, this.ctx.deps.now().getTime())) return;
    await this.remember(context);
    const text = (a.text ?? '').trim();
    const files = filesIn(a.attachments);
    const agent = this.agentOf(context);
    const binding =
      agent && (text || files.length > 0)
        ? await this.consults.bindingFor(agent.id, a.conversation.id, repliedToId(a))
        : { kind: 'none' as const };
    const command = agent ? commandOf(text) : undefined;
    switch (binding.kind) {
      case 'relay':
        await this.relay(context, binding.consult, text, files);
        return;
      case 'ended':
        // A command typed after a consult ended is the command; a reply to the consult is not.
        if (command && !binding.replied) break;
        await context.sendActivity({
          text: `The consult about ${binding.consult.view.customerName} has ended; your message was not passed on.`,
          textFormat: 'plain',
        });
        return;
      case 'ambiguous':
        await context.sendActivity({ text: this.whichConsult(binding.open), textFormat: 'plain' });
        return;
      case 'none':
        break;
      default:
        return binding satisfies never;
    }
    if (command === 'queues' && agent) {
      const card = await this.queuesCard(agent.id, a.from.id);
      await context.sendActivity({ attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] });
      return;
    }
    await context.sendActivity(HELP);
  }

  /**
   * A consultant's message into their consult: its words as an internal note, and a word back for
   * whatever did not get there (words the desk refused, pictures, files).
   */
  private async relay(context: TurnContext, consult: ConsultRecord, text: string, files: TeamsFile[]) {
    const about = consult.view.customerName;
    const lines: string[] = [];
    const outcome = text ? await this.consults.relayFromTeams(consult, text) : undefined;
    if (outcome && !outcome.relayed)
      lines.push(`Your message was not passed on to the consult about ${about}: ${outcome.why}.`);
    if (files.length > 0) lines.push(filesNotPassedOn(files, about, outcome?.relayed === true));
    if (lines.length > 0) await context.sendActivity({ text: lines.join('\n'), textFormat: 'plain' });
  }

  /** The answer to a message that could be for any of several consults: which are open, how to reply. */
  private whichConsult(open: ConsultRecord[]): string {
    return [
      `You have ${open.length} consults open, so this message was not passed on: it could be for any of them.`,
      'To answer one, reply to its card or to one of its messages (Reply, in the message’s menu):',
      ...open.map((r) => `• ${this.consults.nameOf(r)}`),
    ].join('\n');
  }

  /** My queues with their waiting counts and opt-in, as the agent desk keeps them. */
  private async queuesCard(agentId: string, teamsUserId: string, notice?: string): Promise<AdaptiveCard> {
    const me = await this.ctx.desk.profile.me(agentId);
    const lines = await Promise.all(
      me.queues.map(async (q) => ({
        ...q,
        waiting: await this.ctx.repos.conversations.count({ status: 'waiting', queueId: q.id }),
      })),
    );
    return queuesAttachment(lines, { notice, refreshUserIds: [teamsUserId] }).content;
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const agent = await this.findAgent(context);
    if (!agent) return message('Only Switchboard agents can act on this card.');
    const verb = invoke.action.verb;
    const data = (invoke.action.data ?? {}) as Record<string, unknown>;
    const offerKey = typeof data.offerKey === 'string' ? data.offerKey : undefined;
    const offerVerb =
      verb === OFFER_VERBS.accept
        ? 'accept'
        : verb === OFFER_VERBS.reject
          ? 'reject'
          : verb === OFFER_VERBS.refresh
            ? 'refresh'
            : null;
    if (offerVerb && offerKey) {
      // A Teams retry of the same click acts once; the repeat gets the card as it stands.
      const first = this.recent.firstTime(
        `${context.activity.conversation.id}|${context.activity.id}`,
        this.ctx.deps.now().getTime(),
      );
      const result = await withinBudget(this.offers.act(offerKey, agent, first ? offerVerb : 'refresh'));
      if (result === 'late') return message('Working on it… the card updates in a moment.');
      return answer(result);
    }
    const queueId = typeof data.queueId === 'string' ? data.queueId : undefined;
    if (verb === QUEUE_VERBS.optIn || verb === QUEUE_VERBS.optOut || verb === QUEUE_VERBS.refresh) {
      let notice: string | undefined;
      if (queueId && verb !== QUEUE_VERBS.refresh) {
        const optedIn = verb === QUEUE_VERBS.optIn;
        try {
          await this.ctx.desk.profile.setQueueOptIn(agent.id, queueId, optedIn);
        } catch (err) {
          if (!isDomainError(err)) throw err;
          return message(err.message);
        }
        const name = (await this.ctx.repos.queues.get(queueId))?.name ?? queueId;
        notice = optedIn
          ? `You opted in to ${name}.`
          : `You opted out of ${name}; it offers you nothing until you opt in.`;
      }
      return cardAnswer(await this.queuesCard(agent.id, context.activity.from.id, notice));
    }
    const conversationId = typeof data.conversationId === 'string' ? data.conversationId : undefined;
    if (verb === CONSULT_VERBS.end && conversationId) {
      const ended = await this.consults.endFromTeams(conversationId, agent.id);
      if (!ended) return message('There is no consult of yours on this conversation.');
      return {
        statusCode: 200,
        type: CARD_CONTENT_TYPE,
        value: this.consults.cardOf(ended).content as unknown as Record<string, unknown>,
      };
    }
    return message(`Unknown action ${verb}.`);
  }
}

function answer(result: OfferActionResult): AdaptiveCardInvokeResponse {
  if (!result.ok) return message(result.message);
  return cardAnswer(result.card);
}

function cardAnswer(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
}

function message(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}

async function withinBudget<T>(work: Promise<T>): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), INVOKE_BUDGET_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
