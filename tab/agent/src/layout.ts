import { makeStyles } from '@fluentui/react-components';

/**
 * Widths the workspace's views lay out by. The main panel beside the navigation is a size container
 * (`Workspace.tsx`), so a view asks how wide its own panel is, not the window: a Teams tab on a
 * small laptop, a narrowed window and Teams on a phone all give less than the three session columns
 * need (about 910 px).
 */
export const TWO_COLUMNS = '@container (min-width: 640px) and (max-width: 959.98px)';
export const ONE_COLUMN = '@container (max-width: 639.98px)';
export const BELOW_THREE_COLUMNS = '@container (max-width: 959.98px)';

/**
 * A table that sizes its columns by their content and, once that is wider than its panel, scrolls
 * sideways on its own, rather than squeeze every column to an equal share where a badge or a
 * button runs into the next cell (Fluent's tables lay out fixed by default).
 */
export const useWideTableStyles = makeStyles({
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { tableLayout: 'auto' },
});
