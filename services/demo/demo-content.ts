// The demo contact center of "Northwind Fiber", a home-internet provider: who works there, which
// queues they serve, what customers have already been in touch about. Plain data; seed.ts stores it.
import type { ClassificationRule, OperatingHours, SurveyQuestion } from '../domain/index.js';
import type {
  NewAgent,
  NewAgentScript,
  NewCase,
  NewCustomer,
  NewMacro,
  NewQueue,
  NewQuickReply,
  NewWorkstream,
} from '../store/index.js';
import { DEMO_IDS } from './demo-ids.js';

const Q = DEMO_IDS.queues;
const A = DEMO_IDS.agents;
const C = DEMO_IDS.customers;
type WithId<T> = T & { id: string };

export const TOPICS = [
  'Internet outage',
  'Billing',
  'Wi-Fi & equipment',
  'Moving or new service',
  'Other',
] as const;

const TIME_ZONE = 'America/New_York';
/** US holidays the office-hours queues close on (2026–2027). */
const HOLIDAYS = ['2026-11-26', '2026-12-25', '2027-01-01', '2027-05-31', '2027-07-05', '2027-09-06'];
const hours = (days: number[], open: string, close: string): OperatingHours['weekly'] =>
  days.map((day) => ({ day, open, close }));

export const demoQueues: Array<WithId<NewQueue>> = [
  {
    id: Q.billing,
    name: 'Billing',
    workstreamIds: [DEMO_IDS.workstreams.webchat, DEMO_IDS.workstreams.teams],
    priority: 5,
    assignmentMethod: 'round-robin',
    skillMatching: 'exact',
    operatingHours: {
      timeZone: TIME_ZONE,
      weekly: hours([1, 2, 3, 4, 5], '08:00', '20:00'),
      holidays: HOLIDAYS,
    },
    overflow: [
      {
        when: 'closed',
        action: {
          type: 'end',
          message:
            'Our billing team is available Monday to Friday, 8 am to 8 pm Eastern. You can view and pay your bill any time in the Northwind app.',
        },
      },
      {
        when: 'size',
        limit: 20,
        action: {
          type: 'end',
          message:
            'All of our billing specialists are busy right now. Please try again in a little while, or check "Understanding your bill" in our help center.',
        },
      },
    ],
  },
  {
    id: Q.technical,
    name: 'Technical support',
    workstreamIds: [DEMO_IDS.workstreams.webchat, DEMO_IDS.workstreams.teams],
    priority: 10,
    assignmentMethod: 'highest-capacity',
    skillMatching: 'closest',
    operatingHours: {
      timeZone: TIME_ZONE,
      weekly: hours([0, 1, 2, 3, 4, 5, 6], '00:00', '24:00'),
      holidays: [],
    },
    overflow: [
      {
        when: 'wait',
        limitSeconds: 1800,
        action: {
          type: 'end',
          message:
            'Nobody in technical support is free to answer soon. If your internet is down, check status.northwindfiber.example for outage updates.',
        },
      },
    ],
  },
  {
    id: Q.salesMoving,
    name: 'Sales & moving',
    workstreamIds: [DEMO_IDS.workstreams.webchat],
    priority: 3,
    assignmentMethod: 'least-active',
    skillMatching: 'closest',
    operatingHours: {
      timeZone: TIME_ZONE,
      weekly: [...hours([1, 2, 3, 4, 5], '09:00', '19:00'), ...hours([6], '10:00', '16:00')],
      holidays: HOLIDAYS,
    },
    overflow: [
      {
        when: 'closed',
        action: {
          type: 'end',
          message:
            'Our moving and new-service team is available Monday to Friday 9 am–7 pm and Saturday 10 am–4 pm Eastern. You can also schedule a move in the Northwind app.',
        },
      },
      { when: 'wait', limitSeconds: 900, action: { type: 'transfer', queueId: Q.billing } },
    ],
  },
];

export const preChatSurvey: SurveyQuestion[] = [
  { id: 'name', prompt: 'Your name', chatPrompt: "What's your name?", kind: 'text', required: true },
  {
    id: 'email',
    prompt: 'Email address on your account',
    chatPrompt: "What's the e-mail address on your account?",
    kind: 'email',
    required: true,
  },
  { id: 'topic', prompt: 'What can we help you with?', kind: 'choice', choices: [...TOPICS], required: true },
  {
    id: 'description',
    prompt: 'Tell us a little more (optional)',
    chatPrompt: 'Is there anything else we should know?',
    kind: 'text',
    required: false,
  },
];

const topicRules = (prefix: string): ClassificationRule[] => [
  {
    id: `${prefix}_outage`,
    name: 'Internet outage → Technical support',
    order: 10,
    conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Internet outage' }],
    queueId: Q.technical,
    skills: ['outage'],
  },
  {
    id: `${prefix}_billing`,
    name: 'Billing → Billing',
    order: 20,
    conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Billing' }],
    queueId: Q.billing,
    skills: ['billing'],
  },
  {
    id: `${prefix}_wifi`,
    name: 'Wi-Fi & equipment → Technical support',
    order: 30,
    conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Wi-Fi & equipment' }],
    queueId: Q.technical,
    skills: ['wifi'],
  },
  {
    id: `${prefix}_moving`,
    name: 'Moving or new service → Sales & moving',
    order: 40,
    conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Moving or new service' }],
    queueId: Q.salesMoving,
    skills: ['moving'],
  },
  {
    id: `${prefix}_spanish`,
    name: 'Spanish-speaking visitors need a Spanish speaker',
    order: 50,
    conditions: [{ field: 'visitor.language', op: 'in', value: ['es', 'es-US', 'es-MX'] }],
    queueId: Q.technical,
    skills: ['spanish'],
  },
];

export const demoWorkstreams: Array<WithId<NewWorkstream>> = [
  {
    id: DEMO_IDS.workstreams.webchat,
    name: 'Web chat',
    channel: 'webchat',
    capacityCost: 30,
    offerTimeoutSeconds: 60,
    autoAccept: false,
    allowedPresences: ['available', 'busy'],
    rules: topicRules('web'),
    fallbackQueueId: Q.technical,
    inactivityCloseMinutes: 30,
    // An agent who leaves a chat in wrap-up is offered customers again after 10 minutes.
    wrapUpHoldMinutes: 10,
    // A customer back within a day goes first to the agent who served them, when free.
    returnToLastAgentHours: 24,
    preChatSurvey,
  },
  {
    id: DEMO_IDS.workstreams.teams,
    name: 'Microsoft Teams',
    channel: 'msteams',
    capacityCost: 30,
    offerTimeoutSeconds: 90,
    autoAccept: false,
    allowedPresences: ['available', 'busy'],
    // Teams has no pre-chat form; the bot asks for the topic and stores it under the same key.
    rules: topicRules('teams').filter((r) => r.queueId !== Q.salesMoving),
    fallbackQueueId: Q.technical,
    inactivityCloseMinutes: 60,
    returnToLastAgentHours: 24,
    preChatSurvey: [],
  },
];

const email = (local: string) => `${local}@northwindfiber.example`;

export const demoAgents: Array<WithId<NewAgent>> = [
  {
    id: A.alex,
    name: 'Alex Rivera',
    email: email('alex.rivera'),
    roles: ['agent'],
    queueIds: [Q.technical, Q.salesMoving],
    skills: [
      { name: 'outage', proficiency: 8 },
      { name: 'wifi', proficiency: 7 },
      { name: 'moving', proficiency: 4 },
    ],
    capacity: 100,
    presence: 'available',
    chosenPresence: 'available',
  },
  {
    id: A.bianca,
    name: 'Bianca Okafor',
    email: email('bianca.okafor'),
    roles: ['agent'],
    queueIds: [Q.billing],
    skills: [{ name: 'billing', proficiency: 9 }],
    capacity: 100,
  },
  {
    id: A.chen,
    name: 'Chen Wei',
    email: email('chen.wei'),
    roles: ['agent'],
    queueIds: [Q.technical],
    skills: [
      { name: 'outage', proficiency: 9 },
      { name: 'fiber', proficiency: 9 },
      { name: 'wifi', proficiency: 5 },
    ],
    capacity: 100,
  },
  {
    id: A.devi,
    name: 'Devi Patel',
    email: email('devi.patel'),
    roles: ['agent'],
    queueIds: [Q.salesMoving, Q.billing],
    skills: [
      { name: 'moving', proficiency: 9 },
      { name: 'sales', proficiency: 8 },
      { name: 'billing', proficiency: 5 },
    ],
    capacity: 100,
  },
  {
    id: A.emma,
    name: 'Emma Larsen',
    email: email('emma.larsen'),
    roles: ['agent'],
    queueIds: [Q.technical],
    skills: [
      { name: 'wifi', proficiency: 9 },
      { name: 'outage', proficiency: 6 },
    ],
    capacity: 60,
  },
  {
    id: A.farah,
    name: 'Farah Haddad',
    email: email('farah.haddad'),
    roles: ['agent'],
    queueIds: [Q.billing, Q.technical],
    skills: [
      { name: 'billing', proficiency: 7 },
      { name: 'spanish', proficiency: 10 },
      { name: 'outage', proficiency: 5 },
    ],
    capacity: 100,
  },
  {
    id: DEMO_IDS.supervisors.sam,
    name: 'Sam Morgan',
    email: email('sam.morgan'),
    roles: ['agent', 'supervisor'],
    queueIds: [Q.technical, Q.billing, Q.salesMoving],
    skills: [
      { name: 'outage', proficiency: 7 },
      { name: 'billing', proficiency: 7 },
      { name: 'moving', proficiency: 6 },
    ],
    capacity: 60,
    presence: 'available',
    chosenPresence: 'available',
    sentimentThreshold: 'slightly negative',
  },
  {
    // Serves no queue and takes no chats: the IT side that sets the team up.
    id: DEMO_IDS.admins.riley,
    name: 'Riley Park',
    email: email('riley.park'),
    roles: ['admin'],
    queueIds: [],
    capacity: 0,
  },
];

export const demoQuickReplies: Array<WithId<NewQuickReply>> = [
  {
    id: 'qr_greeting',
    title: 'Greeting',
    text: 'Hi {customerName}, this is {agentName} from Northwind Fiber. Thanks for reaching out — how can I help today?',
    tags: ['greeting'],
  },
  {
    id: 'qr_verify_account',
    title: 'Verify account',
    text: 'To pull up your account, could you confirm the service address and the last four digits of the phone number on file?',
    tags: ['verification'],
  },
  {
    id: 'qr_outage_ack',
    title: 'Outage acknowledged',
    text: 'Thanks, {customerName}. I can see an outage affecting your area; our technicians are already working on it. I have opened case {caseNumber} so you get a text as soon as service is back.',
    tags: ['outage'],
  },
  {
    id: 'qr_restart_router',
    title: 'Restart router and ONT',
    text: 'Let’s try a full restart: unplug the power from the fiber box (ONT) and the router, wait 30 seconds, plug in the ONT first, then the router after 2 minutes. Let me know what the router light shows afterwards.',
    tags: ['outage', 'wifi', 'troubleshooting'],
  },
  {
    id: 'qr_light_color',
    title: 'Ask for router light',
    text: 'What color is the light on the front of your router right now — white, orange or red, and is it solid or blinking?',
    tags: ['troubleshooting'],
  },
  {
    id: 'qr_speed_test',
    title: 'Run a speed test',
    text: 'Could you run a speed test at speed.northwindfiber.example from a device connected by cable (or close to the router) and paste the result here?',
    tags: ['wifi', 'troubleshooting'],
  },
  {
    id: 'qr_technician_visit',
    title: 'Offer a technician visit',
    text: 'It looks like this needs a technician on site. I can book a visit — the next openings are shown in the Northwind app, or tell me a day that suits you and I will reserve it.',
    tags: ['outage', 'appointment'],
  },
  {
    id: 'qr_bill_explained',
    title: 'First bill explained',
    text: 'Your first bill includes a partial month from your installation date plus the next full month in advance, which is why it is higher than your usual monthly price.',
    tags: ['billing'],
  },
  {
    id: 'qr_late_fee_waived',
    title: 'Late fee waived',
    text: 'Good news, {customerName}: I have waived the late fee as a one-time courtesy. You will see the credit on your next statement.',
    tags: ['billing'],
  },
  {
    id: 'qr_autopay',
    title: 'Set up autopay',
    text: 'You can turn on autopay in the Northwind app under Billing › Payment methods. Customers on autopay with paperless billing save $5 every month.',
    tags: ['billing'],
  },
  {
    id: 'qr_moving_details',
    title: 'Moving: ask for details',
    text: 'Congratulations on the move! Please share the new address and the date you would like service to start there, and I will check availability.',
    tags: ['moving'],
  },
  {
    id: 'qr_equipment_return',
    title: 'Equipment return',
    text: 'Please return the router and any mesh extenders within 30 days using the prepaid label we emailed to you, or drop them at any UPS Store — no box needed.',
    tags: ['equipment', 'cancel'],
  },
  {
    id: 'qr_hold',
    title: 'Brief hold',
    text: 'Thanks for your patience, {customerName} — I am checking this with my team and will be back in about two minutes.',
    tags: ['general'],
  },
  {
    id: 'qr_anything_else',
    title: 'Anything else?',
    text: 'Is there anything else I can help you with today?',
    tags: ['closing'],
  },
  {
    id: 'qr_closing',
    title: 'Closing',
    text: 'Thanks for chatting with Northwind Fiber, {customerName}. This is {agentName} signing off — have a great day!',
    tags: ['closing'],
  },
];

export const demoMacros: Array<WithId<NewMacro>> = [
  {
    id: DEMO_IDS.macros.logOutage,
    name: 'Log outage and notify customer',
    actions: [
      {
        type: 'create-case',
        title: 'Service outage reported in chat',
        caseType: 'problem',
        priority: 'high',
      },
      { type: 'open-kb-search', query: 'outage in your area' },
      { type: 'send-quick-reply', quickReplyId: 'qr_outage_ack' },
    ],
  },
  {
    id: DEMO_IDS.macros.billingDispute,
    name: 'Open billing dispute',
    actions: [
      { type: 'create-case', title: 'Billing dispute', caseType: 'request', priority: 'normal' },
      { type: 'open-kb-search', query: 'late fee refund' },
      { type: 'set-field', field: 'disposition', value: 'billing-dispute' },
    ],
  },
  {
    id: DEMO_IDS.macros.movingRequest,
    name: 'Start a move request',
    actions: [
      {
        type: 'create-case',
        title: 'Move service to a new address',
        caseType: 'request',
        priority: 'normal',
      },
      { type: 'send-quick-reply', quickReplyId: 'qr_moving_details' },
      {
        type: 'draft-email',
        to: '{customerEmail}',
        subject: 'Your Northwind Fiber move',
        body: 'Hi {customerName},\n\nThanks for letting us know about your move. Your request is {caseNumber}; we will confirm the installation window at your new address within one business day.\n\n{agentName}\nNorthwind Fiber',
      },
    ],
  },
  {
    id: DEMO_IDS.macros.equipmentReturn,
    name: 'Equipment return instructions',
    actions: [
      { type: 'open-kb-search', query: 'return equipment' },
      { type: 'send-quick-reply', quickReplyId: 'qr_equipment_return' },
      {
        type: 'draft-email',
        to: '{customerEmail}',
        subject: 'Returning your Northwind equipment',
        body: 'Hi {customerName},\n\nYour prepaid return label is attached. Please return the router and any extenders within 30 days to avoid an equipment charge.\n\n{agentName}\nNorthwind Fiber',
      },
    ],
  },
];

export const demoScripts: Array<WithId<NewAgentScript>> = [
  {
    id: DEMO_IDS.scripts.billing,
    name: 'Billing dispute',
    workstreamIds: [DEMO_IDS.workstreams.webchat, DEMO_IDS.workstreams.teams],
    queueIds: [Q.billing],
    steps: [
      {
        id: 'b1',
        kind: 'text',
        text: 'Verify the account: service address and last four digits of the phone number.',
      },
      { id: 'b2', kind: 'text', text: 'Ask which charge is disputed and the statement date.' },
      {
        id: 'b3',
        kind: 'text',
        text: 'Late fee on an account in good standing for 12 months? You may waive it once a year.',
      },
      {
        id: 'b4',
        kind: 'macro',
        label: 'Open the billing dispute case',
        macroId: DEMO_IDS.macros.billingDispute,
      },
    ],
  },
  {
    id: DEMO_IDS.scripts.outage,
    name: 'Outage troubleshooting',
    workstreamIds: [DEMO_IDS.workstreams.webchat, DEMO_IDS.workstreams.teams],
    queueIds: [Q.technical],
    steps: [
      {
        id: 'o1',
        kind: 'text',
        text: 'Check the outage map for the customer’s address before troubleshooting.',
      },
      {
        id: 'o2',
        kind: 'macro',
        label: 'Known outage: log it and notify the customer',
        macroId: DEMO_IDS.macros.logOutage,
      },
      {
        id: 'o3',
        kind: 'text',
        text: 'No outage: ask for the router light, then walk through a restart of the ONT and router.',
      },
      {
        id: 'o4',
        kind: 'text',
        text: 'Still down after a restart with a red light: offer a technician visit.',
      },
      {
        id: 'o5',
        kind: 'script',
        label: 'Customer asks for an outage credit',
        scriptId: DEMO_IDS.scripts.billing,
      },
    ],
  },
  {
    id: DEMO_IDS.scripts.moving,
    name: 'Moving service',
    workstreamIds: [DEMO_IDS.workstreams.webchat],
    queueIds: [Q.salesMoving],
    steps: [
      { id: 'm1', kind: 'text', text: 'Confirm the current address, the new address and the move date.' },
      {
        id: 'm2',
        kind: 'text',
        text: 'Check fiber availability at the new address; offer the same plan or an upgrade.',
      },
      { id: 'm3', kind: 'macro', label: 'Create the move request', macroId: DEMO_IDS.macros.movingRequest },
      {
        id: 'm4',
        kind: 'macro',
        label: 'Send equipment return instructions (no service at new address)',
        macroId: DEMO_IDS.macros.equipmentReturn,
      },
    ],
  },
];

const web = (userId: string) => ({ channel: 'webchat' as const, userId });

export const demoCustomers: Array<WithId<NewCustomer>> = [
  {
    id: C.dana,
    kind: 'contact',
    name: 'Dana Whitfield',
    email: 'dana.whitfield@example.com',
    phone: '+1 617 555 0142',
    identities: [web('dl_demo_dana')],
  },
  {
    id: C.marcus,
    kind: 'contact',
    name: 'Marcus Bell',
    email: 'marcus.bell@example.com',
    phone: '+1 617 555 0178',
    identities: [web('dl_demo_marcus')],
  },
  {
    id: C.priya,
    kind: 'contact',
    name: 'Priya Raman',
    email: 'priya.raman@example.com',
    phone: '+1 781 555 0113',
    identities: [web('dl_demo_priya')],
  },
  {
    id: C.tomas,
    kind: 'contact',
    name: 'Tomás Álvarez',
    email: 'tomas.alvarez@example.com',
    phone: '+1 857 555 0190',
    identities: [web('dl_demo_tomas')],
  },
  {
    id: C.grace,
    kind: 'contact',
    name: 'Grace Kim',
    email: 'grace.kim@example.com',
    phone: '+1 617 555 0125',
    identities: [web('dl_demo_grace')],
  },
  {
    id: C.oliver,
    kind: 'contact',
    name: 'Oliver Brandt',
    email: 'oliver.brandt@example.com',
    phone: '+1 508 555 0167',
    identities: [],
  },
  {
    id: C.amara,
    kind: 'contact',
    name: 'Amara Nwosu',
    email: 'amara.nwosu@example.com',
    phone: '+1 617 555 0139',
    identities: [web('dl_demo_amara')],
  },
  {
    id: C.lucia,
    kind: 'contact',
    name: 'Lucía Ferreira',
    email: 'lucia.ferreira@example.com',
    phone: '+1 781 555 0151',
    identities: [web('dl_demo_lucia')],
  },
  {
    id: C.harbor,
    kind: 'account',
    name: 'Harbor Street Bakery',
    accountName: 'Harbor Street Bakery LLC',
    email: 'owner@harborstreetbakery.example',
    phone: '+1 617 555 0100',
    identities: [{ channel: 'msteams', userId: 'teams_demo_harbor' }],
  },
  {
    id: C.maple,
    kind: 'account',
    name: 'Maple Grove Dental',
    accountName: 'Maple Grove Dental PC',
    email: 'office@maplegrovedental.example',
    phone: '+1 508 555 0122',
    identities: [{ channel: 'msteams', userId: 'teams_demo_maple' }],
  },
];

export const demoCases: Array<WithId<NewCase>> = [
  {
    id: 'case_demo_01',
    customerId: C.dana,
    title: 'No internet after storm',
    subject: 'Outage',
    product: 'Fiber 500',
    priority: 'high',
    caseType: 'problem',
    status: 'resolved',
    description:
      'Service down in Dorchester after the storm on Nov 12; restored by field crew the same evening. Outage credit applied.',
  },
  {
    id: 'case_demo_02',
    customerId: C.dana,
    title: 'Outage credit not on bill',
    subject: 'Billing',
    product: 'Fiber 500',
    priority: 'normal',
    caseType: 'question',
    status: 'active',
    description:
      'Customer expected the 1-day outage credit on the November statement; credit posts on the next cycle.',
  },
  {
    id: 'case_demo_03',
    customerId: C.marcus,
    title: 'Slow Wi-Fi upstairs',
    subject: 'Wi-Fi & equipment',
    product: 'Wi-Fi',
    priority: 'normal',
    caseType: 'problem',
    status: 'resolved',
    description: 'Speeds fine on cable, weak in the upstairs office. Mesh extender shipped.',
  },
  {
    id: 'case_demo_04',
    customerId: C.priya,
    title: 'Late fee dispute',
    subject: 'Billing',
    product: 'Fiber 1 Gig',
    priority: 'normal',
    caseType: 'request',
    status: 'resolved',
    description: 'Autopay card expired; customer paid two days late. Late fee waived once as a courtesy.',
  },
  {
    id: 'case_demo_05',
    customerId: C.tomas,
    title: 'Move service to Quincy',
    subject: 'Moving or new service',
    product: 'Fiber 500',
    priority: 'normal',
    caseType: 'request',
    status: 'active',
    description: 'Moving Dec 15 to 40 Hancock St, Quincy. Fiber available; installation to be scheduled.',
  },
  {
    id: 'case_demo_06',
    customerId: C.grace,
    title: 'Router blinking red',
    subject: 'Internet outage',
    product: 'Fiber 1 Gig',
    priority: 'high',
    caseType: 'problem',
    status: 'active',
    description:
      'Red light after restart, no outage in area. Technician visit booked to check the fiber drop.',
  },
  {
    id: 'case_demo_07',
    customerId: C.oliver,
    title: 'Cancel service and return equipment',
    subject: 'Other',
    product: 'Fiber 300',
    priority: 'low',
    caseType: 'request',
    status: 'resolved',
    description: 'Moving abroad; service cancelled at end of billing cycle, return label emailed.',
  },
  {
    id: 'case_demo_08',
    customerId: C.amara,
    title: 'Upgrade to 1 Gig',
    subject: 'Moving or new service',
    product: 'Fiber 1 Gig',
    priority: 'low',
    caseType: 'request',
    status: 'resolved',
    description: 'Upgraded from Fiber 500 to Fiber 1 Gig; new price from next cycle.',
  },
  {
    id: 'case_demo_09',
    customerId: C.lucia,
    title: 'Port forwarding for home server',
    subject: 'Wi-Fi & equipment',
    product: 'Wi-Fi',
    priority: 'low',
    caseType: 'question',
    status: 'resolved',
    description: 'Explained port forwarding in the Northwind app; static IP add-on not needed.',
  },
  {
    id: 'case_demo_10',
    customerId: C.harbor,
    title: 'Card reader drops connection',
    subject: 'Wi-Fi & equipment',
    product: 'Business Fiber',
    priority: 'urgent',
    caseType: 'problem',
    status: 'active',
    description:
      'Point-of-sale terminal loses Wi-Fi during morning rush; moved it to the 2.4 GHz guest network as a workaround.',
  },
  {
    id: 'case_demo_11',
    customerId: C.maple,
    title: 'Static IP for practice software',
    subject: 'Other',
    product: 'Business Fiber',
    priority: 'normal',
    caseType: 'request',
    status: 'active',
    description: 'Requested one static IP for the imaging server; add-on quoted at $15/month.',
  },
  {
    id: 'case_demo_12',
    customerId: C.marcus,
    title: 'Parental controls schedule',
    subject: 'Wi-Fi & equipment',
    product: 'Wi-Fi',
    priority: 'low',
    caseType: 'question',
    status: 'resolved',
    description: 'Set a school-night pause for the kids’ devices in the app.',
  },
];
