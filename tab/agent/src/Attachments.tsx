import { Button, Image, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Attach16Regular, Document16Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { MessageAttachment } from './types.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexWrap: 'wrap', gap: '6px', marginTop: '4px' },
  // Small pictures (an icon, a crop) still make something to click.
  thumb: {
    maxWidth: '240px',
    maxHeight: '180px',
    minWidth: '48px',
    minHeight: '48px',
    objectFit: 'contain',
    display: 'block',
  },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** Opens a file of the conversation (the agent API, with the agent's token). */
export type LoadFile = (fileId: string) => Promise<Blob>;

/**
 * What the customer sent with a message: their pictures shown small, opening full size; other
 * files as buttons that download them; links elsewhere as links. Files come with the agent's token,
 * which an `<img src>` cannot carry, so each is fetched and shown from memory.
 */
export function Attachments({ items, load }: { items: MessageAttachment[]; load: LoadFile }) {
  const styles = useStyles();
  return (
    <div className={styles.list}>
      {items.map((a, i) =>
        a.fileId && a.contentType.startsWith('image/') ? (
          <Picture key={i} name={a.name} fileId={a.fileId} load={load} />
        ) : a.fileId ? (
          <Download key={i} name={a.name} fileId={a.fileId} load={load} />
        ) : a.url ? (
          <Link key={i} href={a.url} target="_blank" rel="noopener noreferrer">
            <Attach16Regular /> {a.name}
          </Link>
        ) : (
          <Text key={i}>
            <Attach16Regular /> {a.name}
          </Text>
        ),
      )}
    </div>
  );
}

function Picture({ name, fileId, load }: { name: string; fileId: string; load: LoadFile }) {
  const styles = useStyles();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let gone = false;
    let made: string | null = null;
    load(fileId).then(
      (blob) => {
        if (gone) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      (err: unknown) => {
        if (!gone) setFailed((err as Error).message);
      },
    );
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [fileId, load]);
  if (failed) return <Download name={name} fileId={fileId} load={load} failed={failed} />;
  if (!url) return <Text size={200}>Loading {name}…</Text>;
  return (
    <Link href={url} target="_blank" rel="noopener noreferrer" title={`Open ${name}`}>
      <Image className={styles.thumb} src={url} alt={name} shape="rounded" bordered />
    </Link>
  );
}

function Download(props: { name: string; fileId: string; load: LoadFile; failed?: string }) {
  const styles = useStyles();
  const [failed, setFailed] = useState<string | null>(props.failed ?? null);
  const download = async () => {
    try {
      const url = URL.createObjectURL(await props.load(props.fileId));
      const a = document.createElement('a');
      a.href = url;
      a.download = props.name;
      a.click();
      // After the browser took the download.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setFailed(null);
    } catch (err) {
      setFailed((err as Error).message);
    }
  };
  return (
    <span>
      <Button
        size="small"
        icon={<Document16Regular />}
        onClick={() => void download()}
        title={`Download ${props.name}`}
      >
        {props.name}
      </Button>
      {failed && (
        <Text size={200} className={styles.failed} role="alert">
          {' '}
          Could not open {props.name}: {failed}
        </Text>
      )}
    </span>
  );
}
