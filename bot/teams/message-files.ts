/** What a Teams message carries besides its words: a pasted picture or an attached file. */
export interface TeamsFile {
  name?: string;
  contentType: string;
}

/**
 * The pictures and files of a Teams message: a pasted picture (`image/*`, served by the connector),
 * a file attached from OneDrive (`application/vnd.microsoft.teams.file.download.info`), or anything
 * else it carries. Teams sends each message's formatted copy as a `text/html` attachment too (a
 * reply's quote is in it): that is the words again, not a file.
 */
export function filesIn(
  attachments: Array<{ contentType?: unknown; name?: unknown }> | undefined,
): TeamsFile[] {
  return (attachments ?? []).flatMap((att) => {
    const contentType = typeof att.contentType === 'string' ? att.contentType : '';
    if (contentType === 'text/html') return [];
    return [{ contentType, ...(typeof att.name === 'string' && att.name ? { name: att.name } : {}) }];
  });
}

/**
 * What a consultant reads when a message of theirs carried pictures or files into a consult: they
 * do not reach the conversation (the desk takes a consultant's words only: an agent's files go to
 * the customer, never to the internal thread), and what to do instead. `wordsRelayed`: its text did.
 */
export function filesNotPassedOn(files: TeamsFile[], about: string, wordsRelayed: boolean): string {
  const what = describe(files);
  const instead = `Describe ${files.length > 1 ? 'them' : 'it'} in words, or send a link the agent can open.`;
  return wordsRelayed
    ? `Only your words reached the consult about ${about}: pictures and files sent here are not passed on, so ${what} did not. ${instead}`
    : `Pictures and files sent here are not passed on, so ${what} did not reach the consult about ${about}. ${instead}`;
}

/** "vpn-guide.pdf", "your picture", "2 pictures and notes.txt". */
function describe(files: TeamsFile[]): string {
  const unnamed = files.filter((f) => !f.name);
  const pictures = unnamed.filter((f) => f.contentType.startsWith('image/')).length;
  const others = unnamed.length - pictures;
  const parts = [
    ...(pictures === 1 ? ['your picture'] : pictures > 1 ? [`${pictures} pictures`] : []),
    ...(others === 1 ? ['your file'] : others > 1 ? [`${others} files`] : []),
    ...files.flatMap((f) => (f.name ? [f.name] : [])),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : (parts[0] ?? '');
}
