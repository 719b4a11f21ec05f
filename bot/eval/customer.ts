import type { Persona } from './personas.js';

/** What the bot sent in one turn, as the customer sees it. */
export interface BotTurn {
  texts: string[];
  /** Suggested-action buttons of the last message that had any. */
  buttons: string[];
  /** Names of event activities (the widget's survey form, agent joined …). */
  events: string[];
}

export type CustomerMove =
  | { kind: 'say'; text: string }
  | { kind: 'form'; answers: Record<string, string> }
  | { kind: 'leave' }
  | { kind: 'wait' };

/** What a scripted customer remembers between turns. */
export interface CustomerMemory {
  sent: number;
  openingLeft: string[];
  formSent: boolean;
  topicAsked: number;
  nameAsked: number;
  articleSeen: number;
  askedForPerson: number;
}

export function freshMemory(p: Persona): CustomerMemory {
  return {
    sent: 0,
    openingLeft: [...p.opening],
    formSent: false,
    topicAsked: 0,
    nameAsked: 0,
    articleSeen: 0,
    askedForPerson: 0,
  };
}

const wantsPerson = (p: Persona) => p.goal === 'agent' || p.goal === 'follow-up';

/**
 * The customer's next move, reacting to the bot's last words the way a person would: answer what
 * was asked, with their own phrasing first and the exact button when asked again; say yes or no to
 * an article; ask for a person when that is what they want.
 */
export function nextMove(p: Persona, m: CustomerMemory, turn: BotTurn): CustomerMove {
  if (p.leaveAfter !== undefined && m.sent >= p.leaveAfter) return { kind: 'leave' };
  if (m.openingLeft.length > 0) return { kind: 'say', text: m.openingLeft.shift()! };
  if (p.useForm && !m.formSent && turn.events.includes('preChatSurvey')) {
    m.formSent = true;
    return {
      kind: 'form',
      answers: {
        name: p.name,
        email: p.email,
        topic: p.topicChoice,
        ...(p.details ? { description: p.details } : {}),
      },
    };
  }
  const last = turn.texts.at(-1) ?? '';
  const all = turn.texts.join('\n');
  const person = () => {
    m.askedForPerson++;
    return p.askForPerson;
  };
  const say = (text: string): CustomerMove => ({ kind: 'say', text });

  if (/is that right\?/i.test(last)) return say('yes');
  // The widget's form is up; this customer types instead, starting with their question (or name).
  if (/tell us a little about yourself/i.test(last)) {
    if (p.startsWith === 'name') return say(p.name);
    return say(wantsPerson(p) && p.afterArticle === 'yes' ? person() : p.question);
  }
  if (turn.buttons.includes('Talk to a person') && wantsPerson(p)) return say('Talk to a person');
  if (turn.buttons.includes('Leave a message') || /take a message/i.test(all)) {
    return say(p.closedChoice ?? (wantsPerson(p) ? 'Leave a message' : 'Ask the assistant'));
  }
  if (/What would you like the team to know/i.test(last)) return say(p.details ?? p.question);
  if (/Which e-mail address/i.test(last)) return say(p.email);
  if (/rate (us|your experience|this)/i.test(all)) return { kind: 'leave' };
  if (/\bname\b/i.test(last) && !/e-?mail/i.test(last)) {
    m.nameAsked++;
    if (p.instead && m.nameAsked === 1) return say(p.instead);
    return say(p.name);
  }
  if (/e-?mail/i.test(last) && !/will e-mail you/i.test(last)) return say(p.email);
  if (
    /What can we help you with|What is it about|pick one|which one/i.test(last) ||
    turn.buttons.includes(p.topicChoice)
  ) {
    m.topicAsked++;
    return say(m.topicAsked === 1 ? p.topic : p.topicChoice);
  }
  if (/Tell us a little more|anything else we should know/i.test(last)) return say(p.details ?? 'skip');
  if (/Did that help|answer your question|what you needed/i.test(last)) {
    m.articleSeen++;
    return say(p.afterArticle === 'yes' && m.articleSeen === 1 ? 'yes' : 'no');
  }
  if (/Glad I could help/i.test(last)) return say(wantsPerson(p) ? person() : 'no thanks, bye');
  if (/connecting you|has joined|in the queue|next in line|your message|will e-mail you/i.test(all))
    return { kind: 'wait' };
  if (/How can I help|what's your question|other words|another way|tell me more/i.test(last)) {
    // Those who want a person try the assistant first only when they mean to turn its answer down.
    if (wantsPerson(p) && (p.afterArticle === 'yes' || m.articleSeen > 0)) return say(person());
    return say(p.question);
  }
  if (turn.texts.length === 0 && turn.events.length === 0) return { kind: 'wait' };
  return say(wantsPerson(p) ? person() : p.question);
}
