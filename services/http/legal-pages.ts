// The privacy statement and terms of use the Teams package links to (`manifest.template.json`:
// `<PUBLIC_URL>/privacy`, `/terms`). Switchboard is software an organisation runs for itself, so the
// pages say what the software keeps and for how long (as README's limits and docs/decisions/0021
// say), and that the organisation running it answers for the rest. Text only: nothing is loaded
// from anywhere, nothing runs.

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}';

function page(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title} · Switchboard</title><style>${STYLE}</style></head><body><main>` +
    `<h1>${title}</h1>\n${body}\n</main></body></html>`
  );
}

export const PRIVACY_PAGE = page(
  'Privacy',
  `<p>Switchboard is contact-center software. The organisation that runs this server decides how it
is used and is responsible for the personal data it holds: ask them what they do with it, how long
they keep it and how to have it corrected or removed.</p>
<h2>What Switchboard keeps</h2>
<ul>
<li><strong>Conversations</strong>: every message between a customer, the virtual assistant and the
agents, with the agents' internal messages and notes, the answers to the pre-chat questions (such as
name, e-mail address and topic), the sentiment the software estimated for each of the customer's
messages and any rating or comment left at the end.</li>
<li><strong>What the chat window reports</strong>: the pages of the site the customer opened before
and during the chat (each page's title and full address, without the part after <code>?</code> or
<code>#</code>), the searches they made on the site and the help articles they read; their browser,
operating system, language and kind of device; whether the site says they are signed in; and any
other details the site passes to the chat (such as a plan or an account number).</li>
<li><strong>Customers' details</strong>: name and e-mail address as given or as the site or
Microsoft Teams vouched for them, and the identifiers of their chat channel.</li>
<li><strong>Files</strong> sent in a chat (pictures, PDFs, text files), kept with the conversation
they were sent in.</li>
<li><strong>Cases</strong> opened for a customer, with their title and description.</li>
<li><strong>An event log</strong> of what happened: when a conversation was queued, offered to and
taken by an agent, transferred and closed; agents' presence changes; and the sentiment readings
and ratings of each conversation.</li>
<li><strong>Agents' details</strong>: name, e-mail, queues, skills and presence, and what they did in
each conversation.</li>
</ul>
<h2>In the customer's own browser</h2>
<p>The chat window keeps, in the browser's local storage for this site, an identifier that lets it
recognise the same visitor again, the chat under way and its transcript (so a page reload resumes
it), and the list of pages, searches and articles it will report. Clearing the site's data in the
browser removes them.</p>
<h2>For how long</h2>
<p>The chat channel's own copy of each message is deleted after 24 hours and its record of a chat
after 7 days. Conversations, customers' details and files stay in this server's database until the
organisation running it deletes them: Switchboard removes none of them by itself.</p>
<h2>Seeing or erasing what is kept about you</h2>
<p>Ask the organisation running this server: with Switchboard they can find a customer's data by
e-mail address, name or customer id, give them a copy of all of it (their details, conversations, messages, notes, cases,
files, what the chat window reported) and erase it. An erasure deletes the messages' words, the
files, the notes, the details the chat window reported and the chat channel's records, and removes
the name, e-mail address and identifiers from the customer's record. What is left of a conversation
is when it happened, how and by which team it was handled, and its sentiment readings and rating,
for the organisation's figures: none of it names the customer any more.</p>
<p>Switchboard itself sends none of this to analytics, advertising or tracking services. Messages
sent through Microsoft Teams also pass through Microsoft's services, under Microsoft's terms.</p>`,
);

export const TERMS_PAGE = page(
  'Terms of use',
  `<p>This Switchboard server is run by the organisation that offers it to you; your use of it is
governed by your agreement with them, and they are responsible for how it is operated.</p>
<p>Switchboard is provided as is, without warranties of any kind. What it keeps about you and for
how long is described on the <a href="/privacy">privacy page</a>.</p>
<p>Do not send passwords or payment card numbers in a chat: what you write is kept with the
conversation.</p>`,
);
