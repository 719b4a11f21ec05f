import { Field, Select } from '@fluentui/react-components';
import type { ThemeName } from './host.js';
import { THEME_LABELS } from './theme.js';

export function ThemePicker({ theme, onTheme }: { theme: ThemeName; onTheme: (t: ThemeName) => void }) {
  return (
    <Field label="Theme" orientation="horizontal">
      <Select value={theme} onChange={(_, d) => onTheme(d.value as ThemeName)}>
        {(Object.keys(THEME_LABELS) as ThemeName[]).map((t) => (
          <option key={t} value={t}>
            {THEME_LABELS[t]}
          </option>
        ))}
      </Select>
    </Field>
  );
}
