import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';

/**
 * Something the agent asked for did not happen: said where they are looking (above the message box,
 * under a session's header), in the error colours, until they dismiss it or try again.
 */
export function ProblemBar({ children, onDismiss }: { children: React.ReactNode; onDismiss: () => void }) {
  return (
    <MessageBar intent="error" layout="multiline" data-testid="problem">
      {/* An alert: a screen reader says it as it comes (Fluent's own announcement needs a provider). */}
      <MessageBarBody role="alert">{children}</MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            aria-label="Dismiss"
            icon={<Dismiss20Regular />}
            onClick={onDismiss}
          />
        }
      />
    </MessageBar>
  );
}
