import {
  agentFilesOwner,
  assertAccess,
  canRead,
  canSupervise,
  canWrite,
  checkFile,
  MAX_FILES_PER_CONVERSATION,
  permissionsOf,
  ConflictError,
  DomainError,
  hasVisibleText,
  maskCardNumbers,
  NotFoundError,
  relationTo,
  storableMessageText,
  typedMessageText,
  ValidationError,
  withoutControlCharacters,
  type Agent,
  type Conversation,
  type ParticipantMode,
  type Visibility,
  STATUS_IN_WORDS,
  seesParticipant,
  isBeingHandedOver,
  movedMeanwhileError,
} from '../domain/index.js';
import { refuseIfErased } from '../privacy/index.js';
import type { DeskContext } from './context.js';
import { byReachability, handoverVerdict, presenceWords, type Handover } from './handover-rules.js';
import type { DeskPorts } from './ports.js';
import { apiPresence } from './presence-names.js';
import { handoverNoteKey, toApiMessage, waitingSeconds } from './views.js';

/** The most people a picker lists (the people list's own bound). */
const MAX_CANDIDATES = 1000;
/** Details carry this many of the latest sentiment readings: a long chat has one per customer message. */
const SENTIMENT_HISTORY = 100;

/**
 * What an agent or supervisor does inside one conversation. Every action asks the domain's access
 * rule first (a 403 names what was refused); the state changes go through routing or one
 * conditional write here, and each is an event.
 */
/** Steps a force close takes at most: end, close, and a retry of each lost to another's. */
const FORCE_CLOSE_STEPS = 4;

export function createConversationActions(p: DeskPorts, ctx: DeskContext) {
  const { repos, router, bus, deps } = p;

  /** `signedIn`: the caller's agent record as this request's authentication read it. */
  async function guarded(agentId: string, id: string, signedIn?: Agent) {
    const [viewer, c] = await Promise.all([ctx.viewer(agentId, signedIn), ctx.conversation(id)]);
    return { viewer, c, relation: relationTo(viewer, c) };
  }

  /**
   * An erased customer's conversation takes no more words (services/privacy/erased.ts). The erase
   * drops every one of their conversations' channel reference, so only a conversation without one
   * can be theirs: a live chat's send reads nothing more for it.
   */
  async function refuseWritesIfErased(c: Conversation, what: string) {
    if (c.channelRef !== undefined) return;
    refuseIfErased(await repos.customers.get(c.customerId), what, { conversationId: c.id });
  }

  /**
   * The agent whose chat it was, pressing End or Transfer on it after a supervisor assigned it on
   * (or they transferred it in another tab): told where it went, as a conflict, not refused as a
   * stranger to it.
   */
  async function refuseIfMovedOn(agentId: string, c: Conversation, relation: string) {
    if (relation === 'owner') return;
    const hadIt = c.participants.some((p) => p.agentId === agentId && p.mode === 'primary' && p.leftAt);
    if (!hadIt) return;
    throw movedMeanwhileError(c, c.agentId ? (await ctx.agent(c.agentId)).name : undefined);
  }

  /** Changes participants with a version check; `change` returns null when nothing is to do. */
  async function updateParticipants(id: string, change: (c: Conversation) => Conversation | null) {
    const result = await repos.conversations.change(id, change, await ctx.conversation(id));
    return result ? result.after : ctx.conversation(id);
  }

  /**
   * Whoever takes a conversation over reads in its transcript who handed it to them: the offer's
   * reason says only that it was transferred.
   */
  async function noteHandOver(
    id: string,
    lead: string,
    target: { toAgentId: string } | { toQueueId: string },
  ) {
    const to =
      'toAgentId' in target
        ? (await ctx.agent(target.toAgentId)).name
        : `the ${(await repos.queues.get(target.toQueueId))?.name ?? target.toQueueId} queue`;
    await p.conversations.noteForAgents(id, `${lead} ${to}.`);
  }

  /** Consulting is open, so is stopping: by leaving, or by stepping back to monitoring. */
  function noteLeftConsultation(id: string, name: string) {
    return p.conversations.noteForAgents(id, `${name} left the consultation.`);
  }

  /** Ends the agent's open part of that mode, with its session record; false when they had none. */
  async function endPart(id: string, agentId: string, mode: Exclude<ParticipantMode, 'primary'>) {
    const now = deps.now();
    let ended = false;
    await updateParticipants(id, (c) => {
      // Asked again when a write lost to another (a retry): only the change that is written counts.
      ended = false;
      if (!c.participants.some((x) => x.agentId === agentId && x.mode === mode && !x.leftAt)) return null;
      ended = true;
      return {
        ...c,
        participants: c.participants.map((x) =>
          x.agentId === agentId && !x.leftAt ? { ...x, leftAt: now } : x,
        ),
      };
    });
    if (!ended) return false;
    const session = await repos.sessions.findOpen(id, agentId);
    if (session) await repos.sessions.update(session.id, { state: 'ended', endedAt: now });
    await bus.publish({ type: 'participant.left', conversationId: id, agentId, mode });
    return true;
  }

  /** Whether anything changed, and the part the agent had before (when they switched). */
  /** `byAgentId`: who asked them in, when it is someone else (the invited hear who). */
  async function join(
    id: string,
    agentId: string,
    mode: Exclude<ParticipantMode, 'primary'>,
    byAgentId?: string,
  ) {
    const now = deps.now();
    let joined = false;
    let switchedFrom: ParticipantMode | undefined;
    const after = await updateParticipants(id, (c) => {
      // Asked again when a write lost to another (a retry): only the change that is written counts.
      joined = false;
      switchedFrom = undefined;
      if (c.status !== 'active' && c.status !== 'wrap-up') {
        throw new ConflictError(
          'conversation.not_active',
          `This conversation is ${STATUS_IN_WORDS[c.status]}; join it while it is active`,
          { conversationId: id, status: c.status },
        );
      }
      if (c.agentId === agentId)
        throw new ValidationError('participant.owner', 'It is already your conversation');
      const current = c.participants.find((x) => x.agentId === agentId && !x.leftAt);
      if (current && (current.mode === mode || current.mode === 'primary')) return null;
      // A monitoring supervisor who joins as consult stops watching unseen (and a consultant may
      // step back to watching): one part ends where the other begins, as if they left and joined.
      joined = true;
      switchedFrom = current?.mode;
      const kept = current
        ? c.participants.map((x) => (x === current ? { ...x, leftAt: now } : x))
        : c.participants;
      return { ...c, participants: [...kept, { agentId, mode, joinedAt: now }] };
    });
    if (joined) {
      if (switchedFrom) {
        const previous = await repos.sessions.findOpen(id, agentId);
        if (previous) await repos.sessions.update(previous.id, { state: 'ended', endedAt: now });
        await bus.publish({ type: 'participant.left', conversationId: id, agentId, mode: switchedFrom });
      }
      await repos.sessions.create({
        conversationId: id,
        agentId,
        mode,
        state: 'accepted',
        presentedAt: now,
        acceptedAt: now,
        ...(after.queueId ? { queueId: after.queueId } : {}),
      });
      await bus.publish({
        type: 'participant.joined',
        conversationId: id,
        agentId,
        mode,
        ...(byAgentId && byAgentId !== agentId ? { byAgentId } : {}),
      });
    }
    return { joined, switchedFrom };
  }

  async function details(agentId: string, id: string) {
    const { viewer, c } = await guarded(agentId, id);
    assertAccess(canRead(viewer, c), 'see', id);
    const item = await ctx.workItem(c);
    const names = new Map(
      (await repos.agents.getMany([...new Set(c.participants.map((x) => x.agentId))])).map((a) => [
        a.id,
        a.name,
      ]),
    );
    const history = await repos.events.ofConversation(id, 'sentiment.changed', { latest: SENTIMENT_HISTORY });
    return {
      ...item,
      requiredSkills: c.requiredSkills,
      workstreamId: c.workstreamId,
      startedAt: c.timestamps.createdAt,
      queuedAt: c.timestamps.queuedAt ?? null,
      acceptedAt: c.timestamps.acceptedAt ?? null,
      participants: c.participants
        .filter((x) => seesParticipant(viewer, x))
        .map((x) => ({
          agentId: x.agentId,
          name: names.get(x.agentId) ?? x.agentId,
          mode: x.mode,
          joinedAt: x.joinedAt,
          ...(x.leftAt ? { leftAt: x.leftAt } : {}),
        })),
      context: c.context,
      ...(c.caseId ? { caseId: c.caseId } : {}),
      sentimentHistory: history.map((e) => ({
        level: (e as { level: string }).level,
        score: (e as { score: number }).score,
        at: e.at,
      })),
      ...(c.offerExpiresAt ? { offerExpiresAt: c.offerExpiresAt } : {}),
      ...(c.endedBy ? { endedBy: c.endedBy } : {}),
      can: permissionsOf(viewer, c),
    };
  }

  /**
   * Everyone a consult, transfer or assignment of the conversation could name, each with whether
   * the action would be accepted and, if not, why (handover-rules.ts): those who can take it first.
   */
  async function candidates(agentId: string, id: string, kind: Handover, q?: string) {
    const { viewer, c, relation } = await guarded(agentId, id);
    assertAccess(
      canSupervise(viewer, c) || (kind !== 'assign' && relation === 'owner'),
      kind === 'consult' ? 'invite a consultant to' : kind,
      id,
    );
    const [people, queues, stream] = await Promise.all([
      repos.agents.find({}, { limit: MAX_CANDIDATES }),
      repos.queues.list({ limit: MAX_CANDIDATES }),
      repos.workstreams.get(c.workstreamId),
    ]);
    const world = {
      stream: stream ?? { capacityCost: 0, allowedPresences: [] },
      queueStreams: new Map(queues.map((x) => [x.id, x.workstreamIds])),
      ...(c.queueId ? { queueName: queues.find((x) => x.id === c.queueId)?.name ?? c.queueId } : {}),
    };
    const queueNames = new Map(queues.map((x) => [x.id, x.name]));
    const words = (q ?? '').toLowerCase().split(/\s+/u).filter(Boolean);
    return people
      .filter((a) => kind === 'assign' || a.id !== agentId)
      .filter((a) => words.every((w) => `${a.name} ${a.email}`.toLowerCase().includes(w)))
      .map((person) => ({ person, verdict: handoverVerdict(kind, person, c, world) }))
      .filter(({ verdict }) => verdict.ok || !verdict.leaveOut)
      .sort(byReachability)
      .map(({ person: a, verdict }) => ({
        id: a.id,
        name: a.name,
        email: a.email,
        roles: a.roles,
        presence: apiPresence(a.presence),
        presenceLabel: presenceWords(a),
        queues: a.queueIds.map((x) => ({ id: x, name: queueNames.get(x) ?? x })),
        eligible: verdict.ok,
        ...(verdict.ok ? {} : { reason: verdict.reason }),
      }));
  }

  return {
    details,
    candidates,

    /**
     * A file sent in the conversation, to whoever may read it: found through the conversation's own
     * messages, so no file id opens a file of another conversation.
     */
    async file(agentId: string, id: string, fileId: string) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canRead(viewer, c), 'read', id);
      const messages = await repos.messages.all(id);
      const sent = messages.some((m) => m.attachments.some((a) => a.fileId === fileId));
      const file = sent ? await repos.files.read(fileId) : null;
      if (!file) throw new NotFoundError('file.not_found', `No file ${fileId} in conversation ${id}`);
      return { name: file.info.name, contentType: file.info.contentType, bytes: file.bytes };
    },

    /**
     * The conversation's agent sends the customer files (checked as a customer's are:
     * services/domain/files.ts), with an optional line of text, as one public message the customer
     * relay carries to them.
     */
    async sendFiles(
      agentId: string,
      id: string,
      input: { files: Array<{ name: string; type: string; bytes: Uint8Array }>; text?: string },
    ) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canWrite(viewer, c, 'public'), 'send files in', id);
      await refuseWritesIfErased(c, 'send files in it');
      if (c.status !== 'active') {
        throw new ConflictError(
          'conversation.not_active',
          `This conversation is ${STATUS_IN_WORDS[c.status]}; the customer can only be sent files while it is active`,
          { conversationId: id, status: c.status },
        );
      }
      const checked = input.files.map((f) => {
        const check = checkFile(maskCardNumbers(f.name), f.type, f.bytes);
        if (!check.ok) throw new ValidationError(`file.${check.reason}`, check.message);
        return { ...check, bytes: f.bytes };
      });
      const text = storableMessageText(input.text ?? '').trim();
      const owner = agentFilesOwner(id);
      if ((await repos.files.countOf(owner)) + checked.length > MAX_FILES_PER_CONVERSATION) {
        throw new ValidationError(
          'file.too_many',
          `A conversation may hold at most ${MAX_FILES_PER_CONVERSATION} files an agent sent`,
        );
      }
      const attachments = [];
      for (const f of checked) {
        const kept = await repos.files.put({
          owner,
          name: f.name,
          contentType: f.contentType,
          bytes: f.bytes,
        });
        attachments.push({ name: kept.name, contentType: kept.contentType, fileId: kept.id });
      }
      const { message, audience } = await repos.messages.append({
        conversationId: id,
        author: 'agent',
        authorId: agentId,
        authorName: viewer.agent.name,
        visibility: 'public',
        text,
        attachments,
      });
      await p.conversations.announceMessage(message, audience);
      return toApiMessage(message);
    },

    async messages(agentId: string, id: string, afterSeq?: number) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canRead(viewer, c), 'read', id);
      const page = await repos.messages.page(id, afterSeq !== undefined ? { afterSeq } : {});
      return {
        items: page.items.map(toApiMessage),
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
      };
    },

    /** The newest `limit` messages, oldest first: what a session the agent has not opened yet needs. */
    async latestMessages(agentId: string, id: string, limit: number) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canRead(viewer, c), 'read', id);
      return { items: (await repos.messages.latest(id, limit)).map(toApiMessage) };
    },

    /**
     * `clientKey`: the client's idempotency key; a send repeated under it is stored once.
     * `signedIn`: the caller's agent record as the request's authentication read it (not read again).
     */
    async post(
      agentId: string,
      id: string,
      typed: string,
      visibility: Visibility,
      clientKey?: string,
      signedIn?: Agent,
    ) {
      const [{ viewer, c }, stored] = await Promise.all([
        guarded(agentId, id, signedIn),
        // A keyed send's earlier copy is asked beside the access check, not after it: on MongoDB
        // one round trip fewer before the message is stored. Only this caller's own sends match.
        clientKey === undefined ? undefined : repos.messages.ofClientKey(id, agentId, clientKey),
      ]);
      assertAccess(canWrite(viewer, c, visibility), `write ${visibility} messages in`, id);
      await refuseWritesIfErased(c, `write ${visibility} messages in it`);
      // One rule for public and internal alike (services/domain/message-text.ts): the limit, control
      // characters, card numbers, which are never stored, internal notes included.
      const text = typedMessageText(typed);
      if (visibility === 'public') {
        return toApiMessage(
          await p.conversations.postAgentMessage(id, agentId, text, 'public', clientKey, {
            conversation: c,
            agent: viewer.agent,
            stored,
          }),
        );
      }
      if (stored) return toApiMessage(await p.conversations.repeatedSend(stored, text, 'internal'));
      // Internal notes: the owner, a consultant, or a supervisor of the queue (joined or not). They
      // are stored `internal`; the customer relay and the customer's transcript skip them.
      const author =
        viewer.agent.roles.includes('supervisor') && c.agentId !== agentId ? 'supervisor' : 'agent';
      const { message, duplicate, audience } = await repos.messages.append(
        {
          conversationId: id,
          author,
          authorId: agentId,
          authorName: viewer.agent.name,
          visibility: 'internal',
          text,
          ...(clientKey === undefined ? {} : { clientKey }),
        },
        deps.now(),
        undefined,
        stored === null ? { unstored: true } : undefined,
      );
      if (duplicate) return toApiMessage(await p.conversations.repeatedSend(message, text, 'internal'));
      await p.conversations.announceMessage(message, audience);
      return toApiMessage(message);
    },

    async typing(agentId: string, id: string, signedIn?: Agent) {
      const { c, relation } = await guarded(agentId, id, signedIn);
      assertAccess(relation === 'owner' && c.status === 'active', 'type in', id);
      p.conversations.typing({ conversationId: id, author: 'agent', agentId });
      return { ok: true as const };
    },

    /** The owner (or a supervisor) brings in another agent or supervisor, who writes internally. */
    async consult(agentId: string, id: string, consultantId: string) {
      const { viewer, c, relation } = await guarded(agentId, id);
      const self = consultantId === agentId;
      // A supervisor may join as consult themselves; otherwise the owner invites.
      assertAccess(relation === 'owner' || canSupervise(viewer, c), 'invite a consultant to', id);
      const consultant = await ctx.agent(consultantId);
      if (!self && consultant.chosenPresence === 'offline') {
        throw new ConflictError('consult.offline', `${consultant.name} is offline`);
      }
      const { joined } = await join(id, consultant.id, 'consult', agentId);
      // A consultant is in the conversation in the open (a monitor is not): the agents read who
      // came in where they are reading.
      if (joined) {
        await p.conversations.noteForAgents(
          id,
          self
            ? `${consultant.name} joined to consult.`
            : `${viewer.agent.name} invited ${consultant.name} to consult.`,
        );
      }
      return details(agentId, id);
    },

    async monitor(agentId: string, id: string) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canSupervise(viewer, c), 'monitor', id);
      const { switchedFrom } = await join(id, agentId, 'monitor');
      if (switchedFrom === 'consult') await noteLeftConsultation(id, viewer.agent.name);
      return details(agentId, id);
    },

    async leave(agentId: string, id: string) {
      const { viewer, relation } = await guarded(agentId, id);
      if (relation !== 'consult' && relation !== 'monitor') {
        throw new DomainError(
          'participant.not_joined',
          'You are not consulting on or monitoring this conversation, so there is nothing to leave',
          'conflict',
          { conversationId: id },
        );
      }
      // Ended meanwhile by another request (their agent's End consult, a second tab's Leave).
      if (!(await endPart(id, agentId, relation))) {
        throw new DomainError(
          'participant.not_joined',
          'Your part in this conversation has already ended, so there is nothing to leave',
          'conflict',
          { conversationId: id },
        );
      }
      if (relation === 'consult') await noteLeftConsultation(id, viewer.agent.name);
      return { ok: true as const };
    },

    /**
     * The owner (or a supervisor) ends a colleague's consult, or withdraws the ask before they opened
     * it: to the server both are the same open part. Only a consult: a monitor is unseen by the owner.
     */
    async endConsult(agentId: string, id: string, consultantId: string) {
      const { viewer, c, relation } = await guarded(agentId, id);
      assertAccess(relation === 'owner' || canSupervise(viewer, c), 'end a consult in', id);
      if (consultantId === agentId) {
        throw new ValidationError(
          'participant.self',
          'This is your own consult: leave the conversation to end it',
        );
      }
      const consultant = await ctx.agent(consultantId);
      if (!(await endPart(id, consultantId, 'consult'))) {
        throw new DomainError(
          'participant.not_joined',
          `${consultant.name} is not consulting on this conversation`,
          'conflict',
          { conversationId: id, agentId: consultantId },
        );
      }
      await p.conversations.noteForAgents(id, `${viewer.agent.name} ended ${consultant.name}'s consult.`);
      return details(agentId, id);
    },

    /**
     * `note`: a handover note for whoever takes it over, stored as an internal message before the
     * transfer (its offer is built as the transfer happens and quotes it: context.ts `handover`).
     */
    async transfer(
      agentId: string,
      id: string,
      target: { toAgentId: string } | { toQueueId: string },
      note?: string,
    ) {
      const { viewer, c, relation } = await guarded(agentId, id);
      if (!canSupervise(viewer, c)) await refuseIfMovedOn(agentId, c, relation);
      assertAccess(relation === 'owner' || canSupervise(viewer, c), 'transfer', id);
      const written = withoutControlCharacters(note ?? '').trim();
      const text = hasVisibleText(written) ? maskCardNumbers(written) : '';
      const handover = text ? { note: { text, by: viewer.agent.name } } : {};
      // The note goes with the transfer (the offer quotes it from the conversation), and is on the
      // transcript only once the transfer happened: a refused one leaves nothing behind.
      const moved = await router.transfer(
        id,
        'toAgentId' in target
          ? { toAgentId: target.toAgentId, ...handover }
          : { toQueueId: target.toQueueId, ...handover },
        agentId,
      );
      if (text) {
        const { message, duplicate, audience } = await repos.messages.append({
          conversationId: id,
          author: relation === 'owner' ? 'agent' : 'supervisor',
          authorId: agentId,
          authorName: viewer.agent.name,
          visibility: 'internal',
          text: `Handover note: ${text}`,
          // One per transfer: the next transfer of the conversation counts one more.
          clientKey: handoverNoteKey(moved.transferCount),
        });
        if (!duplicate) await p.conversations.announceMessage(message, audience);
      }
      await noteHandOver(id, `${viewer.agent.name} transferred the conversation to`, target);
      return ctx.workItem(moved);
    },

    /** A supervisor gives a waiting item to an agent, or moves an active one to another agent. */
    async assign(agentId: string, id: string, toAgentId: string) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canSupervise(viewer, c), 'assign', id);
      const assigned = `${viewer.agent.name} assigned the conversation to`;
      if (c.status === 'waiting') {
        const picked = await router.pick(id, toAgentId);
        await noteHandOver(id, assigned, { toAgentId });
        return ctx.workItem(picked);
      }
      if (c.status === 'active') {
        await router.transfer(id, { toAgentId }, agentId);
        // Made, not offered, as for a waiting one: a supervisor's assignment that quietly ran out
        // a minute later put the customer back in the queue and told the supervisor nothing.
        const taken = await router.accept(id, toAgentId);
        await noteHandOver(id, assigned, { toAgentId });
        return ctx.workItem(taken);
      }
      if (isBeingHandedOver(c))
        throw movedMeanwhileError(c, c.agentId ? (await ctx.agent(c.agentId)).name : undefined);
      throw new ConflictError(
        'conversation.not_assignable',
        `This conversation is ${STATUS_IN_WORDS[c.status]}; only waiting or active ones can be assigned`,
        { conversationId: id, status: c.status },
      );
    },

    async end(agentId: string, id: string) {
      const { relation, c } = await guarded(agentId, id);
      await refuseIfMovedOn(agentId, c, relation);
      assertAccess(relation === 'owner', 'end', id);
      return ctx.workItem(await router.end(id, 'agent', agentId));
    },

    async wrapUp(agentId: string, id: string, disposition: string) {
      const { c, relation } = await guarded(agentId, id);
      assertAccess(relation === 'owner', 'wrap up', id);
      if (c.status !== 'wrap-up') {
        // Only an active chat can still be ended; after that the advice would be wrong.
        const advice = c.status === 'active' ? '; end it first' : '';
        throw new ConflictError(
          'conversation.not_in_wrap_up',
          `This conversation is ${STATUS_IN_WORDS[c.status]}${advice}`,
          { conversationId: id, status: c.status },
        );
      }
      return ctx.workItem(await router.close(id, 'agent', disposition));
    },

    /**
     * Recorded the same way in every state: a note naming the supervisor and why, `endedBy`
     * supervisor, the reason in the disposition. A chat nobody had taken yet is closed, not
     * abandoned: the customer did not leave it.
     */
    async forceClose(agentId: string, id: string, typedReason?: string) {
      const { viewer, c } = await guarded(agentId, id);
      assertAccess(canSupervise(viewer, c), 'force close', id);
      // A reason that would show nothing (spaces, control characters) is no reason.
      const cleaned = withoutControlCharacters(typedReason ?? '').trim();
      const reason = hasVisibleText(cleaned) ? cleaned : undefined;
      const disposition = reason ? `force-closed: ${reason}` : 'force-closed';
      // Force-closed already: nothing is rewritten (a second press, a second supervisor's tab later
      // on). Closed by anyone else, even just before this request was read, is the refusal below:
      // a 200 told the supervisor their reason was recorded when the agent's wrap-up was.
      if ((c.status === 'closed' || c.status === 'abandoned') && c.closedBy === 'supervisor') {
        return ctx.workItem(c);
      }
      // Each step may lose to another's made meanwhile (an agent accepting, ending or wrapping up):
      // read again and go on from there. The close is the supervisor's only if their own step made
      // it; one that someone else closed first is refused, and says nothing in the transcript.
      let now = c;
      let closed = false;
      for (let attempt = 0; attempt < FORCE_CLOSE_STEPS && !closed; attempt++) {
        if (attempt > 0) now = await ctx.conversation(id);
        try {
          if (now.status === 'active') await router.end(id, 'supervisor');
          else if (now.status === 'waiting' || now.status === 'offered' || now.status === 'wrap-up') {
            await router.close(id, 'supervisor', disposition);
            closed = true;
          } else break;
        } catch (e) {
          if (!(e instanceof DomainError && e.code === 'conversation.illegal_transition')) throw e;
        }
      }
      if (!closed) {
        now = await ctx.conversation(id);
        throw new ConflictError(
          'conversation.closed_meanwhile',
          `Cannot force close this conversation: it was ${STATUS_IN_WORDS[now.status]} meanwhile${
            now.disposition ? ` (${now.disposition})` : ''
          }`,
          { conversationId: id, status: now.status },
        );
      }
      await p.conversations.noteForAgents(
        id,
        `${viewer.agent.name} closed the conversation${reason ? `: ${reason}` : ''}.`,
      );
      return ctx.workItem(await ctx.conversation(id));
    },

    /** The agent's session gained or lost focus: session active time (Insights' handle time). */
    async focus(agentId: string, id: string, focused: boolean) {
      const { relation } = await guarded(agentId, id);
      assertAccess(relation === 'owner' || relation === 'consult' || relation === 'monitor', 'focus', id);
      const session = await repos.sessions.findOpen(id, agentId);
      const now = deps.now();
      if (session) {
        if (focused && !session.focusedSince) {
          await repos.sessions.update(session.id, { focusedSince: now });
        } else if (!focused && session.focusedSince) {
          const ms = Math.max(0, now.getTime() - new Date(session.focusedSince).getTime());
          await repos.sessions.update(session.id, { focusMs: session.focusMs + ms, focusedSince: undefined });
        }
      }
      await bus.publish({ type: 'session.focus', conversationId: id, agentId, focused });
      return { ok: true as const, focused };
    },

    waitingSeconds: (c: Conversation) => waitingSeconds(c, deps.now()),
  };
}
