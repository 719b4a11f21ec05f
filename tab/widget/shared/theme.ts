/** System fonts only: the widget must not fetch a web font from anywhere. */
export const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", system-ui, Roboto, "Helvetica Neue", Arial, sans-serif';
