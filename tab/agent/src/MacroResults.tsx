import { Button, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { KnowledgeHit, MacroResult } from './types.js';

const useStyles = makeStyles({
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'grid', gap: '4px' },
  articles: { margin: '2px 0 0', padding: 0, listStyleType: 'none', display: 'grid' },
  note: { color: tokens.colorNeutralForeground2 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  article: { justifyContent: 'flex-start', textAlign: 'left', minWidth: 0, fontWeight: 'normal' },
});

/** The articles an "open knowledge search" action found that the agent can open at once. */
const ARTICLES_SHOWN = 5;

/**
 * What each action of a macro did, with what the agent can act on next: the articles a knowledge
 * search found (each opens in a tab of the session) and an e-mail draft to open in their mail app.
 */
export function MacroResults(props: { results: MacroResult[]; onOpenArticle: (hit: KnowledgeHit) => void }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="What the macro did">
      {props.results.map((r, i) => (
        <li key={i}>
          <Text size={200} className={r.outcome === 'failed' ? styles.failed : styles.note}>
            {r.outcome === 'failed' ? `Not done: ${r.message}` : r.message}
          </Text>
          {r.articles && r.articles.length > 0 && (
            <ul className={styles.articles} aria-label={`Articles for “${r.query ?? ''}”`}>
              {r.articles.slice(0, ARTICLES_SHOWN).map((a) => (
                <li key={a.id}>
                  <Button
                    size="small"
                    appearance="transparent"
                    className={styles.article}
                    onClick={() => props.onOpenArticle({ id: a.id, title: a.title })}
                  >
                    {a.title}
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {r.draft && (
            <div>
              <Link href={r.draft.mailto}>Open the e-mail draft</Link>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
