import { makeStyles, mergeClasses } from '@fluentui/react-components';

const useStyles = makeStyles({
  clipped: {
    display: 'inline-block',
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'bottom',
  },
});

/**
 * A name the customer typed (up to 200 characters, maybe without a space) on one line: a long one
 * would otherwise widen its toast, column or table past the buttons beside it. The start shows, the
 * whole is in the tooltip and read by screen readers. `dir="auto"`: a Hebrew or Arabic name reads
 * right to left within an English line and leaves the words around it in their order. In a table
 * cell, whose width follows its content, `className` gives it a width to stop at.
 */
export function ClippedName({ name, className }: { name: string; className?: string }) {
  const styles = useStyles();
  return (
    <span className={mergeClasses(styles.clipped, className)} title={name} dir="auto">
      {name}
    </span>
  );
}
