// The help center's own script: a handful of articles, client-side search, and the two
// Switchboard.track calls a real portal would make so the agent sees what the customer read.
const ARTICLES = [
  {
    slug: 'slow-wifi',
    title: 'Why is my Wi-Fi slow?',
    summary: 'Channel congestion, router placement and 2.4 vs 5 GHz.',
    body: 'Place the router in the open, away from microwaves. Prefer the 5 GHz network for nearby devices and restart the router once a month.',
  },
  {
    slug: 'router-lights',
    title: 'What do the lights on my router mean?',
    // Says what the knowledge article the assistant answers with says (services/demo/knowledge-articles.ts).
    summary: 'Solid white, blinking white, orange and red: a quick guide.',
    body: 'Solid white means online. Blinking white means it is starting up or updating; leave it plugged in. Solid orange means no internet; check for an outage. Blinking orange means it cannot reach the fiber terminal; check the cable into its blue port. Blinking red means no fiber signal; check the green fiber cable. Solid red means a hardware fault; contact us.',
  },
  {
    slug: 'billing-cycle',
    title: 'Understanding your bill',
    summary: 'Pro-rated charges, autopay and the paperless discount.',
    body: 'Your first bill may include a pro-rated charge for the days before your cycle began. Autopay saves $5 a month.',
  },
  {
    slug: 'move-service',
    title: 'Moving? Take Northwind with you',
    summary: 'Transfer your service to a new address in minutes.',
    body: 'Tell us your new address at least a week before the move and we will schedule the installation for your move-in day.',
  },
];
const list = document.getElementById('article-list');
const articleView = document.getElementById('article');
const results = document.getElementById('results');

function renderList(items) {
  list.replaceChildren(
    ...items.map((a) => {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${a.slug}`;
      link.textContent = a.title;
      const span = document.createElement('span');
      span.textContent = a.summary;
      link.append(span);
      link.addEventListener('click', () => openArticle(a));
      li.append(link);
      return li;
    }),
  );
}

function openArticle(a) {
  const h = document.createElement('h2');
  h.textContent = a.title;
  const p = document.createElement('p');
  p.textContent = a.body;
  articleView.replaceChildren(h, p);
  articleView.hidden = false;
  window.Switchboard?.track({ kind: 'article', title: a.title, url: `${window.location.origin}/#${a.slug}` });
}

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('q').value.trim();
  if (!q) return renderList(ARTICLES);
  const words = q.toLowerCase().split(/\s+/);
  const hits = ARTICLES.filter((a) =>
    words.some((w) => (a.title + ' ' + a.summary).toLowerCase().includes(w)),
  );
  results.hidden = false;
  results.textContent = `${hits.length} result${hits.length === 1 ? '' : 's'} for “${q}”`;
  renderList(hits);
  window.Switchboard?.track({
    kind: 'search',
    title: q,
    url: `${window.location.origin}/?q=${encodeURIComponent(q)}`,
  });
});

renderList(ARTICLES);
