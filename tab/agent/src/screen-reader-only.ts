import type { GriffelStyle } from '@fluentui/react-components';

/** Text for screen readers only: kept out of sight without leaving the accessibility tree. */
export const SCREEN_READER_ONLY: GriffelStyle = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};
